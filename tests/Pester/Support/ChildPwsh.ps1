# Invoke-ChildPwsh, the one the build uses: runs a command in a new pwsh (the same PowerShell that runs the tests) and
# returns its exit code and output lines.
Import-Module (Join-Path $PSScriptRoot '../../../tools/PostureSync.Build.psm1') -Force
