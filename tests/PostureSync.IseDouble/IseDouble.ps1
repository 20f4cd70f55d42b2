# Loads the loopback ISE double into this PowerShell and starts it, for Pester, the Demo and the Bench. The build makes it
# (it is in the solution); a run without a build builds it here first.
function Start-IseDouble {
    param([object] $Deployment = $null)
    if (-not ('PostureSync.IseDouble.IseDoubleServer' -as [type])) {
        $project = Join-Path $PSScriptRoot 'PostureSync.IseDouble.csproj'
        $assembly = Join-Path (Split-Path $project) 'bin/Release/net10.0/PostureSync.IseDouble.dll'
        if (-not (Test-Path -LiteralPath $assembly)) {
            & dotnet build $project -c Release --nologo --verbosity quiet | Out-Host
            if ($LASTEXITCODE -ne 0) { throw "Building the ISE double failed ($LASTEXITCODE)." }
        }
        Add-Type -LiteralPath $assembly
    }
    [PostureSync.IseDouble.IseDoubleServer]::Start($Deployment)
}

function New-IseDoubleCredential([string] $UserName = [PostureSync.IseDouble.IseDoubleServer]::UserName) {
    [pscredential]::new($UserName, (ConvertTo-SecureString ([PostureSync.IseDouble.IseDoubleServer]::Password) -AsPlainText -Force))
}
