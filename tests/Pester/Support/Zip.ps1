# DART-like zips made by the tests: entry name (any depth) -> a file on disk, or text given as [string] with -Text.
Add-Type -AssemblyName System.IO.Compression, System.IO.Compression.FileSystem

function New-Zip([string] $Path, [hashtable] $Entries, [hashtable] $Text = @{}) {
    $zip = [System.IO.Compression.ZipFile]::Open($Path, 'Create')
    try {
        foreach ($name in $Entries.Keys) {
            [System.IO.Compression.ZipFileExtensions]::CreateEntryFromFile($zip, $Entries[$name], $name) | Out-Null
        }
        foreach ($name in $Text.Keys) {
            $writer = [System.IO.StreamWriter]::new($zip.CreateEntry($name).Open())
            try { $writer.Write($Text[$name]) } finally { $writer.Dispose() }
        }
    }
    finally { $zip.Dispose() }
}
