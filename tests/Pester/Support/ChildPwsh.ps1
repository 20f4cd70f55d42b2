# Runs a script in a new pwsh process (the same PowerShell that runs the tests) and returns its output lines.
function Invoke-ChildPwsh {
    param([Parameter(Mandatory)] [string] $Command, [hashtable] $Environment = @{})
    $host0 = (Get-Process -Id $PID).Path
    $launch = if ([System.IO.Path]::GetFileNameWithoutExtension($host0) -in 'pwsh', 'powershell') { @($host0) } else { @($host0, (Join-Path $PSHOME 'pwsh.dll')) }
    $saved = @{}
    foreach ($name in $Environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $Environment[$name]) }
    try {
        $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($Command))
        $exe = $launch[0]; $rest = @($launch | Select-Object -Skip 1)
        $output = & $exe @rest -NoProfile -NonInteractive -EncodedCommand $encoded 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = @($output | ForEach-Object { "$_" }) }
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
}
