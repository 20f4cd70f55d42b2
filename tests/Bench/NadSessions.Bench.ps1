# Get-NadSession speed (issue 14): one large 'show access-session details' of a switch stack, 10,000 sessions in the
# IOS-XE layout (sections, dashed separators, a dACL on most sessions, IPv6 lines, a redirect on some), read through
# the cmdlet from a file and as piped lines. Prints sessions per second; misses its target when the cmdlet reads
# fewer than 1,000 sessions a second from a file (a stack's output in 10 s). Every figure is a plain line.
$ErrorActionPreference = 'Stop'
Import-Module $env:POSTURESYNC_MODULE -Force

function New-StackOutput([int] $Count) {
    $text = [System.Text.StringBuilder]::new()
    $null = $text.AppendLine('stack-1#show access-session details')
    for ($i = 0; $i -lt $Count; $i++) {
        $member = 1 + [Math]::Floor($i / 480); $port = 1 + ($i % 48)
        $mac = '{0:x4}.{1:x4}.{2:x4}' -f 0x0050, (($i -shr 16) -band 0xffff), ($i -band 0xffff)
        $ip = '10.{0}.{1}.{2}' -f (1 + [Math]::Floor($i / 65536)), (($i -shr 8) -band 255), ($i -band 255)
        if ($i -gt 0) { $null = $text.AppendLine('----------------------------------------') }
        $null = $text.AppendLine("            Interface:  GigabitEthernet$member/0/$port").
            AppendLine("               IIF-ID:  0x{0:X8}" -f (0x10000000 + $i)).
            AppendLine("          MAC Address:  $mac").
            AppendLine('         IPv6 Address:  FE80::250:56FF:FE84:75C5').
            AppendLine("         IPv4 Address:  $ip").
            AppendLine("            User-Name:  user$i").
            AppendLine('               Status:  Authorized').
            AppendLine('               Domain:  DATA').
            AppendLine('       Oper host mode:  multi-auth').
            AppendLine('     Oper control dir:  both').
            AppendLine('      Session timeout:  28800s (server), Remaining: 28411s').
            AppendLine("    Common Session ID:  0A0A0A0B{0:X8}3CD88C59" -f $i).
            AppendLine("      Acct Session ID:  0x{0:x8}" -f $i).
            AppendLine("               Handle:  0x{0:x8}" -f $i).
            AppendLine("       Current Policy:  POLICY_Gi$member/0/$port").
            AppendLine('').
            AppendLine('Local Policies:').
            AppendLine('        Service Template: DEFAULT_LINKSEC_POLICY_SHOULD_SECURE (priority 150)').
            AppendLine('      Security Policy:  Should Secure').
            AppendLine('').
            AppendLine('Server Policies:').
            AppendLine('           Vlan Group:  Vlan: 194')
        switch ($i % 10) {
            0 { $null = $text.AppendLine('     URL Redirect ACL:  ACL_WEBAUTH_REDIRECT').AppendLine("         URL Redirect:  https://ise-psn1.example.test:8443/portal/gateway?sessionId=0A0A0A0B{0:X8}&portal=27b1bc30&action=cpp" -f $i).AppendLine('              ACS ACL: xACSACLx-IP-Posture_Pending-5f152814') }
            1 { }
            default { $null = $text.AppendLine('              ACS ACL: xACSACLx-IP-Compliant_Access-669eaa40').AppendLine('            SGT Value:  4') }
        }
        $null = $text.AppendLine('').AppendLine('Method status list:').AppendLine('       Method           State').
            AppendLine('        dot1x           Authc Success').AppendLine('          mab           Stopped').AppendLine('')
    }
    $null = $text.AppendLine('stack-1#')
    $text.ToString()
}

$sessions = 10000
$file = Join-Path ([System.IO.Path]::GetTempPath()) ("nad-bench-" + [guid]::NewGuid() + ".txt")
try {
    [System.IO.File]::WriteAllText($file, (New-StackOutput $sessions))
    '{0:N0} sessions, {1:N1} MB of show access-session details' -f $sessions, ((Get-Item -LiteralPath $file).Length / 1MB)

    # Warm-up: JIT the parser, the findings and the cmdlet.
    $null = Get-NadSession -Path $file

    $best = [double]::MaxValue
    foreach ($round in 1..3) {
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $read = @(Get-NadSession -Path $file)
        $best = [Math]::Min($best, $watch.Elapsed.TotalSeconds)
    }
    if ($read.Count -ne $sessions) { "FAILED: read $($read.Count) sessions, not $sessions"; exit 1 }
    $fileRate = $sessions / $best
    'Get-NadSession -Path: {0:N3} s, {1:N0} sessions/s' -f $best, $fileRate

    $lines = [System.IO.File]::ReadAllLines($file)
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $piped = @($lines | Get-NadSession)
    $pipedSeconds = $watch.Elapsed.TotalSeconds
    'Get-Content lines | Get-NadSession ({0:N0} lines): {1:N3} s, {2:N0} sessions/s' -f $lines.Count, $pipedSeconds, ($piped.Count / $pipedSeconds)

    if ($fileRate -lt 1000) { 'Missed: want at least 1,000 sessions/s from a file.'; exit 1 }
}
finally {
    Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
}
