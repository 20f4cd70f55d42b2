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
