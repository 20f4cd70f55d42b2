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

    It 'shows in its help syntax every parameter set with the cmdlet''s mandatory, positional and accepted values' {
        $syntaxItems = @($Help.Syntax.SyntaxItem)
        foreach ($set in $Command.ParameterSets) {
            $parameters = @($set.Parameters | Where-Object Name -notin $Common)
            $names = ($parameters.Name | Sort-Object) -join ', '
            $item = $syntaxItems | Where-Object { (($_.Parameter.Name | Where-Object { $_ -notin $Common } | Sort-Object) -join ', ') -eq $names } | Select-Object -First 1
            $item | Should -Not -BeNullOrEmpty -Because "the set $($set.Name) ($names) needs its own syntax line"
            foreach ($parameter in $parameters) {
                $shown = $item.Parameter | Where-Object Name -eq $parameter.Name
                $shown.Required | Should -Be $parameter.IsMandatory.ToString().ToLowerInvariant() -Because "-$($parameter.Name) in $($set.Name)"
                $shown.Position | Should -Be $(if ($parameter.Position -ge 0) { "$($parameter.Position)" } else { 'named' }) -Because "-$($parameter.Name) in $($set.Name)"
                $type = if ($parameter.ParameterType.IsArray) { $parameter.ParameterType.GetElementType() } else { $parameter.ParameterType }
                if ([Nullable]::GetUnderlyingType($type)) { $type = [Nullable]::GetUnderlyingType($type) } # [PostureStatus?] accepts the enum's names too
                $accepted = if ($type.IsEnum) { [Enum]::GetNames($type) } else { $parameter.Attributes.Where({ $_ -is [System.Management.Automation.ValidateSetAttribute] }).ValidValues }
                (@($shown.ParameterValueGroup.ParameterValue | Where-Object { $_ } | Sort-Object) -join '|') | Should -Be (@($accepted | Sort-Object) -join '|') -Because "-$($parameter.Name) shows its accepted values as {A | B}"
            }
        }
    }

    It 'gives each parameter the aliases and pipeline input the cmdlet has' {
        foreach ($shown in $Help.Parameters.Parameter) {
            $parameter = $Command.Parameters[$shown.Name]
            $aliases = if ($parameter.Aliases.Count) { ($parameter.Aliases | Sort-Object) -join ', ' } else { 'none' }
            (($shown.Aliases -split ',\s*' | Sort-Object) -join ', ') | Should -Be $aliases -Because "-$($shown.Name)"
            $byValue = [bool] @($parameter.ParameterSets.Values | Where-Object ValueFromPipeline).Count
            $byName = [bool] @($parameter.ParameterSets.Values | Where-Object ValueFromPipelineByPropertyName).Count
            ($shown.PipelineInput -match 'ByValue') | Should -Be $byValue -Because "-$($shown.Name) by value"
            ($shown.PipelineInput -match 'ByPropertyName') | Should -Be $byName -Because "-$($shown.Name) by property name"
        }
    }

    It 'declares an output type with a view for the live and the deserialized type name' {
        # -Quiet's Boolean and -PassThru's FileInfo (a cmdlet that writes a file) are not result types and need no view.
        $notResults = 'PostureSync.Boolean', 'PostureSync.FileInfo'
        $types = @($Command.OutputType | ForEach-Object { 'PostureSync.' + ($_.Name -replace '^.*\.', '') })
        $types | Where-Object { $_ -ne 'PostureSync.Boolean' } | Should -Not -BeNullOrEmpty
        foreach ($type in $types | Where-Object { $_ -notin $notResults }) {
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
        $table | Should -Match 'Sync\s+Every\s+NTD\s+Findings'
        $table | Should -Match 'Enabled\s+30\s+10'
    }

    It 'arrive as Deserialized.PostureSync.<Type> and render with the module''s table view' -ForEach @(
        @{ Type = 'DartSyncEvent'; Header = 'TimeCreated\s+EventType\s+Message'; Property = 'EventType'; Value = 'SyncProbeError' }
        @{ Type = 'DaclTestResult'; Header = 'Verdict\s+Line\s+Psn\s+Port\s+Reason'; Property = 'Verdict'; Value = 'Pass' }
        @{ Type = 'PortTestResult'; Header = 'Verdict\s+State\s+Port\s+TargetName\s+Message'; Property = 'State'; Value = 'Closed' }
        @{ Type = 'ProbeResult'; Header = 'Time\s+Seq\s+TargetName\s+Port\s+Outcome'; Property = 'Outcome'; Value = 'Refused' }
        @{ Type = 'HealthReport'; Header = 'Status\s+Endpoint\s+Posture'; Property = 'Status'; Value = 'Unhealthy' }
    ) {
        $remote = @($Received | Where-Object { $_.PSTypeNames[0] -eq "Deserialized.PostureSync.$Type" })
        $remote.Count | Should -BeGreaterThan 0
        $remote[0].$Property | Should -Be $Value
        ($remote | Format-Table | Out-String -Width 250) | Should -Match $Header
        ($remote | Format-List | Out-String -Width 250) | Should -Match "$Property\s*: $Value"
    }
}

Describe 'about_PostureSync' {
    It 'loads with Get-Help' {
        Import-Module $env:POSTURESYNC_MODULE -Force
        $about = Get-Help about_PostureSync | Out-String
        $about | Should -Match 'about_PostureSync'
        $about | Should -Match 'Get-PostureSyncConfig'
    }
}

Describe 'build.ps1' {
    BeforeAll {
        $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
        # The build's own helpers and help compiler, the modules build.ps1 imports.
        Import-Module (Join-Path $RepoRoot 'tools/PostureSync.Build.psm1') -Force
        Import-Module (Join-Path $RepoRoot 'tools/PostureSync.Help.psm1') -Force
        function New-Trx([string] $Directory, [int] $Passed, [int] $Failed) {
            New-Item -ItemType Directory -Force -Path $Directory | Out-Null
            Set-Content -LiteralPath (Join-Path $Directory 'run.trx') -Value "<TestRun xmlns='http://microsoft.com/schemas/VisualStudio/TeamTest/2010'><ResultSummary><Counters total='$($Passed + $Failed)' passed='$Passed' failed='$Failed' error='0' timeout='0' aborted='0' /></ResultSummary></TestRun>"
        }
    }

    It 'counts an xunit project that wrote no results, ran no test, or exited non-zero with none failed as a failure' {
        (Get-XunitCounts 'NoBuild' (Join-Path $TestDrive 'none') 1).Failed | Should -Be 1
        New-Trx (Join-Path $TestDrive 'empty') 0 0
        (Get-XunitCounts 'Empty' (Join-Path $TestDrive 'empty') 0).Failed | Should -Be 1
        New-Trx (Join-Path $TestDrive 'crashed') 4 0
        (Get-XunitCounts 'Crashed' (Join-Path $TestDrive 'crashed') 1).Failed | Should -Be 1
        New-Trx (Join-Path $TestDrive 'mixed') 3 2
        $mixed = Get-XunitCounts 'Mixed' (Join-Path $TestDrive 'mixed') 1
        $mixed.Passed, $mixed.Failed | Should -Be 3, 2
        New-Trx (Join-Path $TestDrive 'green') 5 0
        $green = Get-XunitCounts 'Green' (Join-Path $TestDrive 'green') 0
        $green.Passed, $green.Failed | Should -Be 5, 0
    }

    It 'counts a Pester run with no summary, no test, or a failing exit code and no failure as a failure' {
        (Get-PesterCounts (Join-Path $TestDrive 'missing.json') 0).Failed | Should -Be 1
        (Get-PesterCounts (Join-Path $TestDrive 'missing.json') 1).Failed | Should -Be 1
        $summary = Join-Path $TestDrive 'summary.json'
        Set-Content -LiteralPath $summary -Value '{ "Passed": 0, "Failed": 0 }'
        (Get-PesterCounts $summary 0).Failed | Should -Be 1
        Set-Content -LiteralPath $summary -Value '{ "Passed": 7, "Failed": 0 }'
        (Get-PesterCounts $summary 1).Failed | Should -Be 1
        $green = Get-PesterCounts $summary 0
        $green.Passed, $green.Failed | Should -Be 7, 0
    }

    It 'compiles accepted values, per-set yaml blocks, switches, lists and multi-block examples as platyPS does' {
        $page = Join-Path $TestDrive 'Get-Thing.md'
        $fence = '```'
        Set-Content -LiteralPath $page -Value @"
# Get-Thing

## SYNOPSIS
Gets a thing.

## DESCRIPTION
Steps:

1. First
   step.
2. Second step.

## EXAMPLES

### Example 1
${fence}powershell
Get-Thing -Name a
${fence}
${fence}powershell
Get-Thing -Name b
${fence}

Two calls.

## PARAMETERS

### -Name
The name.

${fence}yaml
Type: String
Parameter Sets: ByName
Aliases: N

Required: True
Position: 0
Default value: None
Accept pipeline input: True (ByValue)
Accept wildcard characters: False
${fence}

${fence}yaml
Type: String
Parameter Sets: ByKind
Aliases: N

Required: False
Position: Named
Default value: None
Accept pipeline input: True (ByValue)
Accept wildcard characters: False
${fence}

### -Kind
The kind.

${fence}yaml
Type: ThingKind
Parameter Sets: ByKind
Aliases:
Accepted values: Small, Large

Required: True
Position: Named
Default value: None
Accept pipeline input: False
Accept wildcard characters: False
${fence}

### -Force
Forces.

${fence}yaml
Type: SwitchParameter
Parameter Sets: (All)
Aliases:

Required: False
Position: Named
Default value: False
Accept pipeline input: False
Accept wildcard characters: False
${fence}
"@
        $maml = Join-Path $TestDrive 'help.xml'
        Write-MamlHelp @(ConvertFrom-CmdletMarkdown $page) $maml
        [xml] $doc = Get-Content -LiteralPath $maml -Raw
        $ns = [System.Xml.XmlNamespaceManager]::new($doc.NameTable)
        $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10'); $ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10'); $ns.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')
        $items = @($doc.SelectNodes('//command:syntaxItem', $ns))
        $items.Count | Should -Be 2
        $byName = $items[0].SelectSingleNode("command:parameter[maml:name='Name']", $ns)
        $byName.required, $byName.position | Should -Be 'true', '0'
        $inKind = $items[1].SelectSingleNode("command:parameter[maml:name='Name']", $ns)
        $inKind.required, $inKind.position | Should -Be 'false', 'named'
        @($items[1].SelectNodes("command:parameter[maml:name='Kind']/command:parameterValueGroup/command:parameterValue", $ns).InnerText) | Should -Be 'Small', 'Large'
        $items[0].SelectSingleNode("command:parameter[maml:name='Force']/command:parameterValue", $ns) | Should -BeNullOrEmpty
        $doc.SelectSingleNode("//command:parameters/command:parameter[maml:name='Force']/command:parameterValue", $ns).InnerText | Should -Be 'SwitchParameter'
        @($doc.SelectNodes('/*/command:command/maml:description/maml:para', $ns).InnerText) | Should -Be 'Steps:', '1. First step.', '2. Second step.'
        $doc.SelectSingleNode('//dev:code', $ns).InnerText | Should -Match 'Name a\s+Get-Thing -Name b'
        $doc.SelectSingleNode('//dev:remarks/maml:para', $ns).InnerText | Should -Be 'Two calls.'
    }

    It 'cleans out/ and project outputs only, never .git, caches or fixture folders named bin' {
        $copy = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'clone')
        Copy-Item (Join-Path $RepoRoot 'build.ps1'), (Join-Path $RepoRoot 'PostureSync.psd1') $copy
        Copy-Item (Join-Path $RepoRoot 'tools') $copy -Recurse
        $keep = 'src/A/A.cs', '.git/bin/keep', '.config/obj/keep', 'tests/Fixtures/Dart/bin/keep.log', 'docs/obj/keep.md'
        $gone = 'out/PostureSync/x', 'src/A/bin/Release/a.dll', 'src/A/obj/project.assets.json', 'tests/T.Tests/bin/t.dll'
        foreach ($file in $keep + $gone) { New-Item -ItemType File -Force -Path (Join-Path $copy $file) | Out-Null }
        New-Item -ItemType File -Path (Join-Path $copy 'src/A/A.csproj'), (Join-Path $copy 'tests/T.Tests/T.Tests.csproj') | Out-Null
        $run = Invoke-ChildPwsh "& '$(Join-Path $copy 'build.ps1')' -Task Clean"
        $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
        foreach ($file in $keep) { Join-Path $copy $file | Should -Exist }
        foreach ($file in $gone) { Join-Path $copy $file | Should -Not -Exist }
        Join-Path $copy 'src/A/bin' | Should -Not -Exist
    }

    It 'is what .ci/run runs, exactly as the README gives it, after restoring its tools' {
        $readme = Get-Content -LiteralPath (Join-Path $RepoRoot 'README.md')
        $testCommand = ($readme | Where-Object { $_ -match '^dotnet pwsh .*-Task Test' } | Select-Object -First 1) -replace '\s+#.*$', ''
        $testCommand | Should -Not -BeNullOrEmpty
        $ci = Get-Content -LiteralPath (Join-Path $RepoRoot '.ci/run')
        $ci | Should -Contain 'dotnet tool restore'
        $ci | Should -Contain $testCommand
    }
}
