# One failure model: one catalogue of ErrorIds, documented in docs/error-ids.md, and no ErrorId written anywhere else.
BeforeAll {
    $script:Module = Import-Module $env:POSTURESYNC_MODULE -Force -PassThru
    $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $core = [System.Reflection.Assembly]::LoadFrom((Join-Path $Module.ModuleBase 'PostureSync.Core.dll'))
    $script:Catalogue = @($core.GetType('PostureSync.Core.ErrorIds', $true).GetFields('Public, Static') |
        Where-Object IsLiteral | ForEach-Object { [pscustomobject]@{ Name = $_.Name; Value = $_.GetRawConstantValue() } })
    $script:Rows = @(Get-Content -LiteralPath (Join-Path $RepoRoot 'docs/error-ids.md') | Where-Object { $_ -match '^\| `' } | ForEach-Object {
        $cells = $_.Trim('|').Split('|') | ForEach-Object Trim
        [pscustomobject]@{ ErrorId = $cells[0].Trim('`'); Meaning = $cells[1]; ToDo = $cells[2] }
    })
}

Describe 'The ErrorId catalogue' {
    It 'holds the ErrorIds the module has always reported, spelled as before' {
        $Catalogue.Count | Should -BeGreaterThan 40
        foreach ($id in 'DartBundleInvalid', 'PathNotFound', 'DaclNotFound', 'DaclPathIsFolder', 'PsnNameUnresolved', 'InvalidTimeRange', 'AgentRestartNeedsElevation', 'LogNotFound') {
            $Catalogue.Value | Should -Contain $id
        }
        $Catalogue | ForEach-Object { $_.Value | Should -BeExactly $_.Name -Because 'a constant is named as the ErrorId it holds' }
    }

    It 'is documented in docs/error-ids.md, one row per ErrorId with what it means and what to do' {
        @($Rows.ErrorId | Sort-Object) | Should -Be @($Catalogue.Value | Sort-Object)
        $Rows | ForEach-Object {
            $_.Meaning | Should -Not -BeNullOrEmpty -Because "$($_.ErrorId) needs a meaning"
            $_.ToDo | Should -Not -BeNullOrEmpty -Because "$($_.ErrorId) needs what to do"
        }
        ($Rows.ErrorId | Group-Object | Where-Object Count -gt 1) | Should -BeNullOrEmpty
    }

    It 'is the only place an ErrorId is spelled out in the sources' {
        $sources = Get-ChildItem -LiteralPath (Join-Path $RepoRoot 'src') -Recurse -Filter *.cs | Where-Object { $_.FullName -notmatch '[\\/](obj|bin)[\\/]' -and $_.Name -ne 'ErrorIds.cs' }
        $literal = '(new PostureSyncException|IoFailures\.Read)\(\s*"'
        $hits = @($sources | Select-String -Pattern $literal | ForEach-Object { "$($_.Path):$($_.LineNumber)" })
        $hits | Should -BeNullOrEmpty -Because 'ErrorIds come from PostureSync.Core.ErrorIds'
        $quoted = @($Catalogue.Value | ForEach-Object { [regex]::Escape('"' + $_ + '"') }) -join '|'
        $spelled = @($sources | Select-String -Pattern $quoted | ForEach-Object { "$($_.Path):$($_.LineNumber): $($_.Line.Trim())" })
        $spelled | Should -BeNullOrEmpty -Because 'an ErrorId written as a string elsewhere drifts from the catalogue'
    }
}
