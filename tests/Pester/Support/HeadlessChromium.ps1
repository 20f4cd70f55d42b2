<#
    A headless Chromium driven over the DevTools protocol on loopback, for the report tests and the report benchmark:
    start, navigate and wait for the load event, evaluate, and record every network request the page makes. Every
    wait is bounded by the browser's TimeoutSec; Stop-HeadlessChromium ends the browser and its helpers and removes
    its throwaway profile. The xunit browser tests have their own C# driver for the renderer; this one is for pages
    the built module writes.
#>

$script:ChromiumNames = 'chromium-headless-shell', 'chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'

# The browser to use: POSTURESYNC_CHROMIUM, else the usual Debian and upstream names on PATH. Skip says why when none.
function Find-HeadlessChromium {
    $named = $env:POSTURESYNC_CHROMIUM
    if ($named) {
        if (Test-Path -LiteralPath $named -PathType Leaf) { return [pscustomobject]@{ Path = $named; Skip = $null } }
        return [pscustomobject]@{ Path = $null; Skip = "POSTURESYNC_CHROMIUM names '$named', which does not exist" }
    }
    $found = $ChromiumNames | ForEach-Object { Get-Command $_ -CommandType Application -ErrorAction SilentlyContinue } | Select-Object -First 1
    if ($found) { return [pscustomobject]@{ Path = $found.Source; Skip = $null } }
    [pscustomobject]@{ Path = $null; Skip = "no headless Chromium on this machine (looked for $($ChromiumNames -join ', ') on PATH; POSTURESYNC_CHROMIUM is not set). .ci/run installs Debian's chromium where it runs as root" }
}

function Start-HeadlessChromium {
    param([Parameter(Mandatory)] [string] $Executable, [int] $TimeoutSec = 90)
    $profile = Join-Path ([System.IO.Path]::GetTempPath()) ('posturesync-chromium-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $profile | Out-Null
    $start = [System.Diagnostics.ProcessStartInfo]::new($Executable)
    $start.UseShellExecute = $false
    $start.RedirectStandardError = $true
    $start.RedirectStandardOutput = $true
    foreach ($argument in @(
            '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
            '--disable-component-update', '--disable-sync', '--disable-extensions', '--disable-default-apps', '--mute-audio',
            # The network rule, belt and braces: no name resolves, so only loopback literals can be reached.
            '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
            '--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0', '--window-size=1280,800',
            "--user-data-dir=$profile", 'about:blank')) {
        $start.ArgumentList.Add($argument)
    }
    $process = [System.Diagnostics.Process]::Start($start)
    # Drained in the background so a chatty browser never blocks on a full pipe.
    $null = $process.StandardOutput.ReadToEndAsync(), $process.StandardError.ReadToEndAsync()
    $browser = [pscustomobject]@{
        Process = $process; Profile = $profile; TimeoutSec = $TimeoutSec; Socket = $null; NextId = 0
        Events = [System.Collections.Generic.List[object]]::new()
    }
    try {
        # Chromium writes the port it chose into the profile once DevTools listens.
        $portFile = Join-Path $profile 'DevToolsActivePort'
        $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSec)
        while (-not ((Test-Path -LiteralPath $portFile) -and (Get-Content -LiteralPath $portFile -ErrorAction SilentlyContinue | Select-Object -First 1))) {
            if ($process.HasExited) { throw "Chromium ($Executable) ended with $($process.ExitCode) before it opened DevTools." }
            if ([datetime]::UtcNow -gt $deadline) { throw "Chromium opened no DevTools port within $TimeoutSec s." }
            Start-Sleep -Milliseconds 100
        }
        $port = [int](Get-Content -LiteralPath $portFile | Select-Object -First 1)
        $targets = Invoke-RestMethod -Uri "http://127.0.0.1:$port/json/list" -TimeoutSec $TimeoutSec -NoProxy
        $page = @($targets | Where-Object type -eq 'page')[0]
        $browser.Socket = [System.Net.WebSockets.ClientWebSocket]::new()
        $cancel = [System.Threading.CancellationTokenSource]::new([timespan]::FromSeconds($TimeoutSec))
        try { $null = $browser.Socket.ConnectAsync([uri] $page.webSocketDebuggerUrl, $cancel.Token).GetAwaiter().GetResult() } finally { $cancel.Dispose() }
        $browser
    }
    catch {
        Stop-HeadlessChromium $browser
        throw
    }
}

function Stop-HeadlessChromium {
    param([Parameter(Mandatory)] [AllowNull()] [object] $Browser)
    if (-not $Browser) { return }
    if ($Browser.Socket) { $Browser.Socket.Dispose() }
    try {
        if (-not $Browser.Process.HasExited) {
            $Browser.Process.Kill($true)
            $null = $Browser.Process.WaitForExit($Browser.TimeoutSec * 1000)
        }
    }
    catch [System.InvalidOperationException] { }
    $Browser.Process.Dispose()
    Remove-Item -LiteralPath $Browser.Profile -Recurse -Force -ErrorAction SilentlyContinue
}

# Reads one whole DevTools message; keeps events, returns it.
function Receive-DevToolsMessage([object] $Browser, [datetime] $Deadline) {
    $left = $Deadline - [datetime]::UtcNow
    if ($left -le [timespan]::Zero) { throw "Chromium sent nothing in time ($($Browser.TimeoutSec) s)." }
    $cancel = [System.Threading.CancellationTokenSource]::new($left)
    $buffer = [byte[]]::new(256KB)
    $message = [System.IO.MemoryStream]::new()
    try {
        do {
            try { $part = $Browser.Socket.ReceiveAsync([System.ArraySegment[byte]]::new($buffer), $cancel.Token).GetAwaiter().GetResult() }
            catch [System.OperationCanceledException] { throw "Chromium sent nothing in time ($($Browser.TimeoutSec) s)." }
            if ($part.MessageType -eq [System.Net.WebSockets.WebSocketMessageType]::Close) { throw 'Chromium closed the DevTools connection.' }
            $message.Write($buffer, 0, $part.Count)
        } until ($part.EndOfMessage)
        $parsed = [System.Text.Encoding]::UTF8.GetString($message.ToArray()) | ConvertFrom-Json -Depth 64
        if ($parsed.PSObject.Properties['method']) { $Browser.Events.Add($parsed) }
        $parsed
    }
    finally { $cancel.Dispose(); $message.Dispose() }
}

# Sends one DevTools command and returns its result; events that arrive meanwhile are kept.
function Invoke-DevTools {
    param([Parameter(Mandatory)] [object] $Browser, [Parameter(Mandatory)] [string] $Method, [hashtable] $Params = @{})
    $id = ++$Browser.NextId
    $bytes = [System.Text.Encoding]::UTF8.GetBytes((@{ id = $id; method = $Method; params = $Params } | ConvertTo-Json -Depth 16 -Compress))
    $deadline = [datetime]::UtcNow.AddSeconds($Browser.TimeoutSec)
    $cancel = [System.Threading.CancellationTokenSource]::new([timespan]::FromSeconds($Browser.TimeoutSec))
    try { $null = $Browser.Socket.SendAsync([System.ArraySegment[byte]]::new($bytes), [System.Net.WebSockets.WebSocketMessageType]::Text, $true, $cancel.Token).GetAwaiter().GetResult() }
    finally { $cancel.Dispose() }
    while ($true) {
        $reply = Receive-DevToolsMessage $Browser $deadline
        if ($reply.PSObject.Properties['id'] -and $reply.id -eq $id) {
            if ($reply.PSObject.Properties['error']) { throw "$Method failed: $($reply.error | ConvertTo-Json -Compress)" }
            return $reply.result
        }
    }
}

function Wait-DevToolsEvent {
    param([Parameter(Mandatory)] [object] $Browser, [Parameter(Mandatory)] [string] $Method)
    $deadline = [datetime]::UtcNow.AddSeconds($Browser.TimeoutSec)
    while (-not ($Browser.Events | Where-Object method -eq $Method)) { $null = Receive-DevToolsMessage $Browser $deadline }
    @($Browser.Events | Where-Object method -eq $Method)[0].params
}

# Opens a URL and waits for its load event; the events recorded before are dropped.
function Open-DevToolsPage {
    param([Parameter(Mandatory)] [object] $Browser, [Parameter(Mandatory)] [string] $Url)
    $Browser.Events.Clear()
    $null = Invoke-DevTools $Browser 'Page.navigate' @{ url = $Url }
    $null = Wait-DevToolsEvent $Browser 'Page.loadEventFired'
}

# The value of a JavaScript expression in the page (JSON-serialisable results only).
function Get-DevToolsValue {
    param([Parameter(Mandatory)] [object] $Browser, [Parameter(Mandatory)] [string] $Expression)
    $result = Invoke-DevTools $Browser 'Runtime.evaluate' @{ expression = $Expression; returnByValue = $true }
    if ($result.PSObject.Properties['exceptionDetails']) { throw "$Expression threw: $($result.exceptionDetails | ConvertTo-Json -Compress -Depth 8)" }
    if ($result.result.PSObject.Properties['value']) { return , $result.result.value }
    $null
}

# Every URL the page asked for since it was opened (Network.enable must have been sent).
function Get-DevToolsRequest([object] $Browser) {
    @($Browser.Events | Where-Object method -eq 'Network.requestWillBeSent' | ForEach-Object { $_.params.request.url } | Select-Object -Unique)
}

# A file's file:// URL ([uri] '/tmp/x' is a relative URI in PowerShell, so the cast will not do).
function Get-FileUrl([string] $Path) {
    [System.Uri]::new([System.IO.Path]::GetFullPath($Path)).AbsoluteUri
}
