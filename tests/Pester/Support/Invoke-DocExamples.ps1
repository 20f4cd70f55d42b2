<#
    Runs the pages' examples in one child pwsh (DocExamples.Tests.ps1 starts it): each page in a runspace of its own,
    its blocks in page order in one scope, so a page cannot lean on another's variables or ISE connection. Writes one
    result per page to -ResultPath: { Doc, Passed, Failing (the block that failed), Output (every line, rendered at
    120 columns) }.
    The process's environment is the sandbox endpoint's (POSTURESYNC_SYSTEM_ROOT, POSTURESYNC_HOSTS_FILE, PATH with
    the stub tools first), set by the caller. Started here: the loopback ISE double, and for pages that name
    $FleetSessions a loopback sshd whose sessions stand in for remote endpoints.
#>
param(
    [Parameter(Mandatory)] [string] $PagesPath,
    [Parameter(Mandatory)] [string] $ResultPath,
    [Parameter(Mandatory)] [string] $Sandbox,
    [Parameter(Mandatory)] [string] $Repo,
    [Parameter(Mandatory)] [string] $ModuleRoot
)
$ErrorActionPreference = 'Stop'
$pages = @(Get-Content -Raw -LiteralPath $PagesPath | ConvertFrom-Json)

. (Join-Path $Repo 'tests/PostureSync.IseDouble/IseDouble.ps1')
. (Join-Path $Repo 'tests/Pester/Support/SshLoopback.ps1')
$ise = Start-IseDouble
$iseCredential = New-IseDoubleCredential
$server = $null
function Test-Remoting($Block) { -not $Block.Skip -and ($Block.Code -like '*$FleetSessions*' -or $Block.Code -like '*-HostName*') }
if ($pages | Where-Object { ($_.Blocks | Where-Object { Test-Remoting $_ }) }) {
    $environment = @{ POSTURESYNC_SYSTEM_ROOT = $env:POSTURESYNC_SYSTEM_ROOT; POSTURESYNC_HOSTS_FILE = $env:POSTURESYNC_HOSTS_FILE; PATH = $env:PATH }
    $server = Start-LoopbackSshd (Join-Path $Sandbox '.sshd') $ModuleRoot $environment
}

function ConvertTo-Literal([string] $Text) { "'" + $Text.Replace("'", "''") + "'" }

# The wildcard paths an example names (a word or a quoted string with * or ? and a folder in it): each must match a
# file where the example runs, or the example would pass over nothing and prove nothing.
function Get-WildcardPath([string] $Code) {
    $tokens = $null; $errors = $null
    [void] [System.Management.Automation.Language.Parser]::ParseInput($Code, [ref] $tokens, [ref] $errors)
    foreach ($token in $tokens) {
        $text = if ($token -is [System.Management.Automation.Language.StringToken]) { $token.Value } elseif ($token.Kind -eq 'Generic') { $token.Text } else { $null }
        if ($text -and $text -match '[*?]' -and $text -match '[\\/]' -and $text -notmatch '[\s$]') { $text }
    }
}

$results = try {
    foreach ($page in $pages) {
        $run = @($page.Blocks | Where-Object { -not $_.Skip })
        $fleet = @($run | Where-Object { Test-Remoting $_ })
        if ($fleet -and $server.Skip) { [pscustomobject]@{ Doc = $page.Doc; Passed = $null; Failing = $null; Output = @(); Skip = $server.Skip }; continue }
        $script = [System.Text.StringBuilder]::new()
        [void] $script.AppendLine('$ErrorActionPreference = ''Stop''; $ProgressPreference = ''SilentlyContinue''')
        [void] $script.AppendLine("Set-Location -LiteralPath $(ConvertTo-Literal $Sandbox)")
        # What an admin's session holds: a prompt that answers with the ISE account, a connection made earlier, the
        # ISE server's pinned certificate for new connections.
        [void] $script.AppendLine('function Get-Credential { param([Parameter(Position = 0)] [string] $UserName, [string] $Message, [string] $Title) $IseCredential }')
        [void] $script.AppendLine("`$PSDefaultParameterValues['Connect-IseServer:CertificateThumbprint'] = '$($ise.Thumbprint)'")
        [void] $script.AppendLine("Connect-IseServer '$($ise.Server)' -Credential `$IseCredential | Out-Null")
        if ($fleet) {
            # What the user's ssh setup gives (port, account, key), so -HostName examples run as written.
            [void] $script.AppendLine("`$PSDefaultParameterValues['New-PSSession:Port'] = $($server.Port)")
            [void] $script.AppendLine("`$PSDefaultParameterValues['New-PSSession:UserName'] = $(ConvertTo-Literal $server.UserName)")
            [void] $script.AppendLine("`$PSDefaultParameterValues['New-PSSession:KeyFilePath'] = $(ConvertTo-Literal $server.KeyFile)")
            [void] $script.AppendLine("`$PSDefaultParameterValues['New-PSSession:Options'] = `$SshOptions")
            [void] $script.AppendLine("`$FleetSessions = @(New-PSSession -HostName $(@($server.Hosts | ForEach-Object { ConvertTo-Literal $_ }) -join ', '))")
        }
        foreach ($block in $run) {
            $code = $block.Code.Replace('{ise}', $ise.Server).Replace('{iseThumbprint}', $ise.Thumbprint)
            [void] $script.AppendLine("Write-Output 'docs-test: example at line $($block.Line)'")
            if ($block.Clipboard) { [void] $script.AppendLine("function Get-Clipboard { Get-Content -LiteralPath $(ConvertTo-Literal $block.Clipboard) }") }
            if ($null -ne $block.ExitCode) {
                # A block that ends with exit is a script: it runs as one, and must end with the code the page says.
                $file = Join-Path $Sandbox ('.docs-test-' + ($page.Doc -replace '[\\/.]', '-') + "-$($block.Line).ps1")
                Set-Content -LiteralPath $file -Value $code
                [void] $script.AppendLine("& $(ConvertTo-Literal $file)")
                [void] $script.AppendLine("if (`$LASTEXITCODE -ne $($block.ExitCode)) { throw `"the example ended with exit code `$LASTEXITCODE, not $($block.ExitCode)`" }")
            }
            else {
                foreach ($pattern in Get-WildcardPath $code) {
                    [void] $script.AppendLine("if (-not (Test-Path -Path $(ConvertTo-Literal $pattern))) { throw $(ConvertTo-Literal "the example's wildcard '$pattern' matches no file here") }")
                }
                [void] $script.AppendLine($code)
            }
        }
        [void] $script.AppendLine("Write-Output 'docs-test: done'")
        if ($fleet) { [void] $script.AppendLine('Remove-PSSession -Session $FleetSessions') }

        $runspace = [runspacefactory]::CreateRunspace()
        $runspace.Open()
        $shell = [powershell]::Create()
        $shell.Runspace = $runspace
        $output = [System.Management.Automation.PSDataCollection[string]]::new()
        $failure = $null
        try {
            $runspace.SessionStateProxy.SetVariable('IseCredential', $iseCredential)
            if ($fleet) { $runspace.SessionStateProxy.SetVariable('SshOptions', $server.Options) }
            # Every stream, rendered as a console would, in order; a terminating error ends the page.
            [void] $shell.AddScript("& { $script } *>&1 | Out-String -Stream -Width 120")
            $none = [System.Management.Automation.PSDataCollection[object]]::new()
            $none.Complete()
            $shell.Invoke($none, $output)
        }
        catch { $failure = $_.Exception }
        finally {
            if ($fleet) { try { $shell.Commands.Clear(); [void] $shell.AddScript('Get-PSSession | Remove-PSSession'); $shell.Invoke() } catch { } }
            $shell.Dispose()
            $runspace.Dispose()
        }
        $lines = @($output)
        $started = @($lines | Where-Object { $_ -like 'docs-test: example at line *' })
        $passed = -not $failure -and $lines -contains 'docs-test: done'
        if ($failure) {
            $inner = $failure
            while ($inner.InnerException -and $inner -is [System.Management.Automation.MethodInvocationException]) { $inner = $inner.InnerException }
            $lines += "docs-test: failed: $($inner.Message)"
        }
        [pscustomobject]@{
            Doc     = $page.Doc
            Passed  = $passed
            Failing = if ($passed) { $null } elseif ($started) { $started[-1].Substring(11) } else { 'the setup' }
            Output  = $lines
            Skip    = $null
        }
    }
}
finally {
    $ise.Dispose()
    if ($server) { Stop-LoopbackSshd $server }
}
ConvertTo-Json -InputObject @($results) -Depth 4 | Set-Content -LiteralPath $ResultPath
