# The .nupkg from `build.ps1 -Task Package` installs from a local folder repository and works.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/ChildPwsh.ps1')
    $script:Package = Get-ChildItem (Join-Path $PSScriptRoot '../../out') -Filter 'PostureSync.*.nupkg' -ErrorAction SilentlyContinue | Select-Object -First 1
    $script:Fixture = (Resolve-Path (Join-Path $PSScriptRoot '../Fixtures/Config/enabled.pretty.xml')).Path
}

Describe 'The package' {
    It 'installs with Install-PSResource from a temporary local repository, imports, and runs' {
        $Package | Should -Not -BeNullOrEmpty -Because 'build.ps1 -Task Test packages before it tests'
        $repo = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'repo')
        Copy-Item $Package.FullName $repo
        $data = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'data')
        $command = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name PostureSyncTest -Uri '$($repo.FullName)' -Trusted
Install-PSResource -Name PostureSync -Repository PostureSyncTest -Scope CurrentUser -TrustRepository -Quiet
`$installed = Get-InstalledPSResource -Name PostureSync -Scope CurrentUser
`$module = Import-Module (Join-Path `$installed.InstalledLocation "PostureSync/`$(`$installed.Version)/PostureSync.psd1") -PassThru
`$module.ModuleBase
(Get-PostureSyncConfig -LiteralPath '$Fixture').StateSyncStatus
"@
        # Both the repository registration and the installed module land under the test's own data folder.
        $run = Invoke-ChildPwsh $command @{ HOME = $data.FullName; DOTNET_CLI_HOME = $data.FullName; XDG_DATA_HOME = $null; XDG_CONFIG_HOME = $null; LOCALAPPDATA = $data.FullName; USERPROFILE = $data.FullName; PSModulePath = $null }
        $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
        $run.Output[-2] | Should -BeLike "$($data.FullName)*"
        $run.Output[-1] | Should -Be 'Enabled'
    }
}

Describe 'The package metadata' {
    It 'carries the manifest''s version, description, author, license, copyright and tags' {
        $manifest = Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../PostureSync.psd1')
        Add-Type -AssemblyName System.IO.Compression, System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead($Package.FullName)
        try {
            $reader = [System.IO.StreamReader]::new(($zip.Entries | Where-Object Name -eq 'PostureSync.nuspec').Open())
            [xml] $nuspec = $reader.ReadToEnd(); $reader.Dispose()
        }
        finally { $zip.Dispose() }
        $metadata = $nuspec.package.metadata
        $metadata.id | Should -Be 'PostureSync'
        $metadata.version | Should -Be $manifest.ModuleVersion
        $metadata.description | Should -Be $manifest.Description
        $metadata.authors | Should -Be $manifest.Author
        $metadata.copyright | Should -Be $manifest.Copyright
        $metadata.licenseUrl | Should -Be $manifest.PrivateData.PSData.LicenseUri
        foreach ($tag in $manifest.PrivateData.PSData.Tags) { -split $metadata.tags | Should -Contain $tag }
    }
}

Describe 'The package with PowerShellGet 2' {
    BeforeAll {
        $script:PowerShellGet2 = Get-Module -ListAvailable PowerShellGet | Where-Object { $_.Version.Major -eq 2 } | Sort-Object Version -Descending | Select-Object -First 1
    }

    It 'installs with Install-Module from a temporary local repository, imports, and runs' {
        if (-not $PowerShellGet2) { Set-ItResult -Skipped -Because 'PowerShellGet 2 is not installed with this PowerShell'; return }
        $repo = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'repo2')
        Copy-Item $Package.FullName $repo
        $data = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'data2')
        $command = @"
`$ErrorActionPreference = 'Stop'
Import-Module PowerShellGet -RequiredVersion $($PowerShellGet2.Version)
Register-PSRepository -Name PostureSyncTest2 -SourceLocation '$($repo.FullName)' -InstallationPolicy Trusted
try {
    Install-Module -Name PostureSync -Repository PostureSyncTest2 -Scope CurrentUser
    `$installed = Get-InstalledModule -Name PostureSync
    `$module = Import-Module (Join-Path `$installed.InstalledLocation 'PostureSync.psd1') -PassThru
    "`$(`$module.Version)"
    (Get-PostureSyncConfig -LiteralPath '$Fixture').StateSyncStatus
    Uninstall-Module -Name PostureSync
}
finally { Unregister-PSRepository -Name PostureSyncTest2 }
"@
        $run = Invoke-ChildPwsh $command @{ HOME = $data.FullName; XDG_DATA_HOME = $null; XDG_CONFIG_HOME = $null; LOCALAPPDATA = $data.FullName; USERPROFILE = $data.FullName; PSModulePath = $null }
        $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
        $run.Output[-2] | Should -Be (Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../PostureSync.psd1')).ModuleVersion
        $run.Output[-1] | Should -Be 'Enabled'
    }
}
