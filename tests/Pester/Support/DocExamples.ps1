<#
    The PowerShell examples of README.md and docs/**/*.md, read with their docs-test markers (DocExamples.Tests.ps1
    describes the markers), and the sandbox they run in.
#>

# A help page's block shows a session: "PS> " lines are commands, the lines after them output. A command goes on over
# the following lines (">> " prompts or indented text) for as long as the parser says it is incomplete.
function Get-PromptedCode([string[]] $Body) {
    $commands = [System.Collections.Generic.List[string]]::new()
    for ($i = 0; $i -lt $Body.Count; $i++) {
        if ($Body[$i] -notlike 'PS> *') { continue }
        $command = $Body[$i].Substring(4)
        while ($i + 1 -lt $Body.Count) {
            $errors = $null
            [System.Management.Automation.Language.Parser]::ParseInput($command, [ref] $null, [ref] $errors) | Out-Null
            if (-not ($errors | Where-Object IncompleteInput)) { break }
            $i++
            $command += "`n" + ($Body[$i] -replace '^>> ?')
        }
        $commands.Add($command)
    }
    $commands
}

# Each page with a ```powershell block: { Doc (its path from the repository root), Blocks }, each block
# { Line, Code (after its replace markers), Skip (the reason, or $null), Clipboard (a file, or $null), ExitCode ($null,
# or the code the block, run as a script, must end with) }.
function Get-DocExample([string] $Root) {
    $Root = (Resolve-Path -LiteralPath $Root).Path
    $files = @(Get-Item (Join-Path $Root 'README.md')) + @(Get-ChildItem (Join-Path $Root 'docs') -Filter *.md -Recurse | Sort-Object FullName)
    foreach ($file in $files) {
        $doc = [System.IO.Path]::GetRelativePath($Root, $file.FullName).Replace('\', '/')
        $lines = @(Get-Content -LiteralPath $file.FullName)
        $blocks = [System.Collections.Generic.List[object]]::new()
        for ($i = 0; $i -lt $lines.Count; $i++) {
            if ($lines[$i].Trim() -ne '```powershell') { continue }
            $start = $i
            $body = [System.Collections.Generic.List[string]]::new()
            for ($i++; $i -lt $lines.Count -and $lines[$i].Trim() -ne '```'; $i++) { $body.Add($lines[$i]) }
            $block = [ordered]@{ Line = $start + 1; Code = $null; Skip = $null; Clipboard = $null; ExitCode = $null }
            $replacements = [System.Collections.Generic.List[object]]::new()
            for ($m = $start - 1; $m -ge 0 -and $lines[$m] -like '<!-- docs-test: *'; $m--) {
                $marker = $lines[$m]
                if ($marker -match '^<!-- docs-test: skip \((?<why>.+)\) -->$') { $block.Skip = $Matches.why }
                elseif ($marker -match "^<!-- docs-test: replace '(?<old>[^']+)' with '(?<new>[^']*)' -->$") {
                    $replacements.Insert(0, @{ Old = $Matches.old; New = $Matches.new.Replace('{repo}', $Root) })
                }
                elseif ($marker -match "^<!-- docs-test: clipboard '(?<file>[^']+)' -->$") { $block.Clipboard = Join-Path $Root $Matches.file }
                elseif ($marker -match '^<!-- docs-test: exits (?<code>\d+) -->$') { $block.ExitCode = [int] $Matches.code }
                else { throw "${doc}:$($m + 1): '$marker' is not a docs-test marker (skip (...), replace '...' with '...', clipboard '...', exits N)." }
            }
            $prompted = @(Get-PromptedCode $body)
            $code = if ($prompted.Count -gt 0) { $prompted -join "`n" } else { $body -join "`n" }
            foreach ($pair in $replacements) {
                if (-not $code.Contains($pair.Old)) { throw "${doc}:$($start + 1): the replace marker's text '$($pair.Old)' is not in the block." }
                $code = $code.Replace($pair.Old, $pair.New)
            }
            if ($block.Clipboard -and -not (Test-Path -LiteralPath $block.Clipboard)) { throw "${doc}:$($start + 1): the clipboard file '$($block.Clipboard)' does not exist." }
            $block.Code = $code
            $blocks.Add([pscustomobject]$block)
        }
        if ($blocks.Count -gt 0) { [pscustomobject]@{ Doc = $doc; Blocks = $blocks.ToArray() } }
    }
}

# The sandbox every page runs in (its folder is the current one):
# - the files an example names, by name: *ISEPosture*.txt the healthy sample's agent log, psn*.txt PSN names,
#   *fleet*.txt / endpoints.txt loopback host names, macs.txt a MAC address the ISE double knows, *session*.txt a
#   switch's session output and *access-lists*.txt the show output that holds its lists, ise-*session*.txt sessions
#   whose lists the ISE double holds, any other .txt the good sample
#   dACL, .zip the healthy sample bundle, .xml the healthy sample profile;
# - the samples' folders (dart/, dacl/, profiles/, docs/examples/, extracted-dart/ an unzipped bundle) and the built
#   module in out/PostureSync;
# - an endpoint (a fake system root) with the healthy profile and Secure Client's agent installed, whose live log is
#   the healthy sample's, told by a stub journalctl, and whose agent a stub systemctl restarts (.bin, first on PATH);
# - a hosts file that resolves the pages' PSN and ISE names to loopback.
function New-DocSandbox([string] $Folder, [string] $Repo, [string] $ModuleBase, [string[]] $Code) {
    $examples = Join-Path $Repo 'docs/examples'
    $nad = Join-Path $Repo 'tests/Fixtures/Nad'
    $box = (New-Item -ItemType Directory -Path $Folder -Force).FullName
    foreach ($folder in 'dart', 'dacl', 'profiles') { Copy-Item (Join-Path $examples $folder) -Destination $box -Recurse }
    New-Item -ItemType Directory -Path (Join-Path $box 'docs') -Force | Out-Null
    Copy-Item $examples -Destination (Join-Path $box 'docs/examples') -Recurse
    New-Item -ItemType Directory -Path (Join-Path $box 'out') -Force | Out-Null
    Copy-Item $ModuleBase -Destination (Join-Path $box 'out/PostureSync') -Recurse
    [System.IO.Compression.ZipFile]::ExtractToDirectory((Join-Path $examples 'dart/endpoint-healthy.zip'), (Join-Path $box 'extracted-dart'))
    $log = (Get-ChildItem (Join-Path $box 'extracted-dart') -Recurse -Filter 'AnyConnect_ISEPosture.txt' | Select-Object -First 1).FullName

    # A switch's session output and the show access-lists output that holds every list its sessions hold: the IOS-XE
    # fixture's sessions that hold a dACL, and its show output with the IPv6 list too.
    $sessionParts = (Get-Content -Raw -LiteralPath (Join-Path $nad 'show-access-session.iosxe.txt')) -split '(?m)^-{40}\r?\n'
    $sessions = @($sessionParts | Where-Object { $_ -match 'ACS ACL' }) -join ('-' * 40 + "`n")
    # The same sessions holding lists the ISE double has, for examples that read the lists from ISE.
    $iseSessions = $sessions.Replace('IPV6-Compliant_Access', 'IPV6-POSTURE_COMPLIANT_DACL_V6').Replace('Compliant_Access', 'POSTURE_COMPLIANT_DACL').Replace('Posture_Pending', 'COMPLIANT_AGNOSTIC')
    $showAccessLists = @(Get-Content -LiteralPath (Join-Path $nad 'show-access-lists.iosxe.txt')) + @(
        'IPv6 access list xACSACLx-IPV6-Compliant_Access-669eaa28 (per-user)'
        '    deny tcp any host 2001:DB8::11 eq 8449 sequence 10'
        '    permit ipv6 any any sequence 20'
    )
    foreach ($match in [regex]::Matches(($Code -join "`n"), '(?<![\w\\/.-])(?:\.[\\/])?(?<name>[\w.-]+\.(?<ext>txt|zip|xml))(?![\w/\\])')) {
        $name = $match.Groups['name'].Value
        $target = Join-Path $box $name
        if (Test-Path -LiteralPath $target) { continue }
        switch -Wildcard ($name) {
            '*ISEPosture*.txt' { Copy-Item $log $target; break }
            'psn*.txt' { Set-Content -LiteralPath $target -Value 'psn1.example.test', 'psn2.example.test'; break }
            '*fleet*.txt' { Set-Content -LiteralPath $target -Value '127.0.0.1', '127.0.0.2', '127.0.0.3'; break }
            'endpoints.txt' { Set-Content -LiteralPath $target -Value '127.0.0.1', '127.0.0.2', '127.0.0.3'; break }
            'macs.txt' { Set-Content -LiteralPath $target -Value '00-14-22-01-23-45'; break }
            '*access-lists*.txt' { Set-Content -LiteralPath $target -Value $showAccessLists; break }
            'ise-*session*.txt' { Set-Content -LiteralPath $target -Value $iseSessions; break }
            '*session*.txt' { Set-Content -LiteralPath $target -Value $sessions; break }
            '*.txt' { Copy-Item (Join-Path $examples 'dacl/compliant-good.txt') $target; break }
            '*.zip' { Copy-Item (Join-Path $examples 'dart/endpoint-healthy.zip') $target; break }
            '*.xml' { Copy-Item (Join-Path $examples 'profiles/healthy/ISEPostureCFG.xml') $target; break }
        }
    }
    Copy-Item (Join-Path $examples 'dart/*.zip') -Destination $box

    $endpoint = Join-Path $box '.endpoint'
    New-Item -ItemType Directory -Path (Join-Path $endpoint 'opt/cisco/secureclient/iseposture') -Force | Out-Null
    Copy-Item (Join-Path $examples 'profiles/healthy/ISEPostureCFG.xml') (Join-Path $endpoint 'opt/cisco/secureclient/iseposture')
    New-Item -ItemType File -Path (Join-Path $endpoint 'opt/cisco/secureclient/bin/csc_iseagentd') -Force | Out-Null

    # The live log: the healthy sample's lines as journal entries, ending five minutes ago, as journalctl -o json
    # prints them. The agent: systemctl answers show and restart for it, and notes every call.
    $bin = (New-Item -ItemType Directory -Path (Join-Path $box '.bin') -Force).FullName
    $entries = foreach ($line in Get-Content -LiteralPath $log) {
        if ($line -notmatch '^(?<time>\d{4}/\d\d/\d\d \d\d:\d\d:\d\d) \[\w+\] (?<ident>\S+) (?<body>.+)$') { continue }
        [pscustomobject]@{ Time = [datetime]::ParseExact($Matches.time, 'yyyy/MM/dd HH:mm:ss', [cultureinfo]::InvariantCulture); Body = $Matches.body }
    }
    $shift = [datetime]::Now.AddMinutes(-5) - $entries[-1].Time
    $journal = Join-Path $bin 'journal.jsonl'
    Set-Content -LiteralPath $journal -Value @(foreach ($entry in $entries) {
            $micros = ([DateTimeOffset]($entry.Time + $shift)).ToUnixTimeMilliseconds() * 1000
            [ordered]@{ __REALTIME_TIMESTAMP = "$micros"; PRIORITY = '6'; SYSLOG_IDENTIFIER = 'csc_iseagentd'; _PID = '1170'; MESSAGE = $entry.Body } | ConvertTo-Json -Compress
        })
    Set-Content -LiteralPath (Join-Path $bin 'pid') -Value '1170'
    Set-Content -LiteralPath (Join-Path $bin 'journalctl') -NoNewline -Value "#!/bin/sh`ncat '$journal'`n"
    Set-Content -LiteralPath (Join-Path $bin 'systemctl') -NoNewline -Value @"
#!/bin/sh
echo "`$*" >> '$bin/systemctl.calls'
case "`$1" in
  show) printf 'LoadState=loaded\nActiveState=active\nMainPID=%s\n' "`$(cat '$bin/pid')"; exit 0 ;;
  restart) echo `$(( `$(cat '$bin/pid') + 1 )) > '$bin/pid'; exit 0 ;;
esac
exit 1
"@
    if (-not $IsWindows) { & chmod 755 (Join-Path $bin 'journalctl') (Join-Path $bin 'systemctl') }

    $hosts = Join-Path $box '.hosts'
    Set-Content -LiteralPath $hosts -Value @(
        '127.0.0.1 psn1.example.test psn1.example.com psn1.corp.example ise-pan1.corp.example'
        '127.0.0.2 psn2.example.test psn2.example.com psn2.corp.example'
        '127.0.0.3 psn3.example.test psn3.example.com'
    )
    [pscustomobject]@{ Folder = $box; Root = $endpoint; Hosts = $hosts; Bin = $bin }
}
