# The module surface every cmdlet inherits: manifest, verbs, help, views, serialization.
BeforeAll {
    $script:Module = Import-Module $env:POSTURESYNC_MODULE -Force -PassThru
    $script:ManifestData = Import-PowerShellDataFile $env:POSTURESYNC_MODULE
    $script:Commands = @(Get-Command -Module PostureSync -CommandType Cmdlet)
}

Describe 'PostureSync module' {
    It 'exports exactly the cmdlets the manifest names, with no wildcards' {
        $ManifestData.CmdletsToExport | Should -Not -Contain '*'
        @($Commands.Name | Sort-Object) | Should -Be @($ManifestData.CmdletsToExport | Where-Object { $_ -in $Commands.Name } | Sort-Object)
        $Commands.Count | Should -BeGreaterThan 0
    }

    It 'takes its version from the manifest, and so do the assemblies' {
        $Module.Version | Should -Be ([version] $ManifestData.ModuleVersion)
        $assembly = [System.Reflection.AssemblyName]::GetAssemblyName((Join-Path $Module.ModuleBase 'PostureSync.dll'))
        $assembly.Version.ToString(3) | Should -Be $ManifestData.ModuleVersion
    }

    It 'declares both editions and PowerShell 5.1' {
        $ManifestData.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $ManifestData.PowerShellVersion | Should -Be '5.1'
    }

    It 'builds both assemblies for netstandard2.0 so Windows PowerShell 5.1 can load them' {
        foreach ($dll in 'PostureSync.dll', 'PostureSync.Core.dll') {
            $bytes = [System.IO.File]::ReadAllBytes((Join-Path $Module.ModuleBase $dll))
            [System.Text.Encoding]::ASCII.GetString($bytes) | Should -Match '\.NETStandard,Version=v2\.0'
        }
    }

    It 'ships no PowerShell assembly of its own' {
        Get-ChildItem $Module.ModuleBase -Filter 'System.Management.Automation.dll' -Recurse | Should -BeNullOrEmpty
    }
}

Describe 'Cmdlet <Name>' -ForEach @(Get-Command -Module (Import-Module $env:POSTURESYNC_MODULE -PassThru -Force) -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } }) {
    BeforeAll {
        $script:Command = Get-Command $Name
        $script:Help = Get-Help $Name -Full
        $script:Common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
    }

    It 'uses an approved verb' {
        (Get-Verb).Verb | Should -Contain $Command.Verb
    }

    It 'has help with a synopsis and a description' {
        $Help.Synopsis | Should -Not -BeNullOrEmpty
        $Help.Synopsis | Should -Not -Match "^\s*$Name\s*\["   # not the generated syntax stand-in
        ($Help.Description.Text -join ' ') | Should -Not -BeNullOrEmpty
    }

    It 'has at least two examples' {
        @($Help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        foreach ($example in $Help.Examples.Example) { $example.Code | Should -Not -BeNullOrEmpty }
    }

    It 'documents every parameter' {
        $documented = @{}
        foreach ($p in $Help.Parameters.Parameter) { $documented[$p.Name] = ($p.Description.Text -join ' ') }
        foreach ($parameter in $Command.Parameters.Keys | Where-Object { $_ -notin $Common }) {
            $documented.ContainsKey($parameter) | Should -BeTrue -Because "-$parameter needs a help entry"
            $documented[$parameter] | Should -Not -BeNullOrEmpty -Because "-$parameter needs a description"
        }
        foreach ($name in $documented.Keys) { $Command.Parameters.Keys | Should -Contain $name -Because "help documents -$name" }
    }

    It 'declares an output type with a view for the live and the deserialized type name' {
        $types = @($Command.OutputType | ForEach-Object { 'PostureSync.' + ($_.Name -replace '^.*\.', '') })
        $types | Where-Object { $_ -ne 'PostureSync.Boolean' } | Should -Not -BeNullOrEmpty
        foreach ($type in $types | Where-Object { $_ -ne 'PostureSync.Boolean' }) {
            Get-FormatData -TypeName $type | Should -Not -BeNullOrEmpty -Because "$type needs a view"
            Get-FormatData -TypeName "Deserialized.$type" | Should -Not -BeNullOrEmpty -Because "Deserialized.$type needs a view"
        }
    }
}

Describe 'Results sent through a child process' {
    BeforeAll {
        $script:Examples = (Resolve-Path (Join-Path $PSScriptRoot '../../docs/examples')).Path
        $script:Profile = (Resolve-Path (Join-Path $PSScriptRoot '../Fixtures/Config/enabled.pretty.xml')).Path
        # Start-Job runs in another process and serializes its output exactly as remoting does.
        $script:Received = Start-Job -ScriptBlock {
            Import-Module $using:env:POSTURESYNC_MODULE
            $bundle = Join-Path $using:Examples 'dart/endpoint-sync-off.zip'
            Get-PostureSyncConfig -LiteralPath $using:Profile
            Get-DartSyncEvents -LiteralPath $bundle -EventType SyncProbeError
            Test-ComplianceDacl -LiteralPath (Join-Path $using:Examples 'dacl/compliant-good.txt') -PsnAddress 192.0.2.11 -WarningAction SilentlyContinue
            Test-PostureSyncPort -TargetName 127.0.0.1 -Port 1 -TimeoutSec 1
            Invoke-PostureSyncProbe -TargetName 127.0.0.1 -Port 1 -TimeoutSec 1 -Confirm:$false
            Test-PostureSyncHealth -LiteralPath $bundle
        } | Receive-Job -Wait -AutoRemoveJob
    }

    It 'keep the profile''s properties, its Settings included, and render with the view' {
        $remote = $Received | Where-Object { $_.PSTypeNames[0] -eq 'Deserialized.PostureSync.PostureSyncConfig' }
        $live = Get-PostureSyncConfig -LiteralPath $Profile
        $remote.StateSyncProbeInterval | Should -Be 30
        @($remote.ProbeTargets) | Should -Be @($live.ProbeTargets)
        @($remote.Findings).Count | Should -Be @($live.Findings).Count
        $remote.Settings['configName'] | Should -Be 'Corp-Posture-StateSync'
        $table = $remote | Format-Table | Out-String -Width 200
        $table | Should -Match 'Interval\s+NTD\s+ProbeTargets'
        $table | Should -Match 'Enabled\s+30\s+10'
    }

    It 'arrive as Deserialized.PostureSync.<Type> and render with the module''s table view' -ForEach @(
        @{ Type = 'DartSyncEvent'; Header = 'TimeCreated\s+EventType\s+Function'; Property = 'EventType'; Value = 'SyncProbeError' }
        @{ Type = 'DaclTestResult'; Header = 'AclName\s+Psn\s+Port\s+Verdict'; Property = 'Verdict'; Value = 'Pass' }
        @{ Type = 'PortTestResult'; Header = 'TargetName\s+TargetAddress\s+Port\s+State'; Property = 'State'; Value = 'Closed' }
        @{ Type = 'ProbeResult'; Header = 'Seq\s+TargetName\s+TargetAddress\s+Port\s+Outcome'; Property = 'Outcome'; Value = 'Refused' }
        @{ Type = 'HealthReport'; Header = 'Endpoint\s+Status\s+Posture'; Property = 'Status'; Value = 'Unhealthy' }
    ) {
        $remote = @($Received | Where-Object { $_.PSTypeNames[0] -eq "Deserialized.PostureSync.$Type" })
        $remote.Count | Should -BeGreaterThan 0
        $remote[0].$Property | Should -Be $Value
        ($remote | Format-Table | Out-String -Width 250) | Should -Match $Header
        ($remote | Format-List | Out-String -Width 250) | Should -Match "$Property\s*: $Value"
    }
}
