@{
    # The one source of the module's version: the build stamps the assemblies and the package from it.
    ModuleVersion        = '0.1.0'
    GUID                 = '6f1d2a3e-8c4b-4f5e-9a7d-2b3c4d5e6f70'
    Author               = 'PostureSync contributors'
    CompanyName          = 'PostureSync'
    Copyright            = '(c) PostureSync contributors. MIT License.'
    Description          = 'Checks every link of Cisco ISE Posture State Synchronization: the agent profile, the probe port, the HTTPS probe, the compliance dACL, the agent log in DART bundles and the agent restart.'
    RootModule           = 'PostureSync.dll'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @(
        'PostureSync.PostureSyncConfig.Format.ps1xml'
        'PostureSync.DartSyncEvent.Format.ps1xml'
        'PostureSync.DaclTestResult.Format.ps1xml'
        'PostureSync.PortTestResult.Format.ps1xml'
        'PostureSync.ProbeResult.Format.ps1xml'
        'PostureSync.AgentRestartResult.Format.ps1xml'
        'PostureSync.HealthReport.Format.ps1xml'
        'PostureSync.NadSession.Format.ps1xml'
        'PostureSync.IseConnection.Format.ps1xml'
        'PostureSync.IsePsn.Format.ps1xml'
        'PostureSync.IseDacl.Format.ps1xml'
        'PostureSync.IseDaclAudit.Format.ps1xml'
        'PostureSync.IseSession.Format.ps1xml'
    )
    TypesToProcess       = @('PostureSync.Types.ps1xml')
    CmdletsToExport      = @(
        'Get-PostureSyncConfig'
        'Get-DartSyncEvents'
        'Test-ComplianceDacl'
        'Test-PostureSyncPort'
        'Invoke-PostureSyncProbe'
        'Restart-PostureAgent'
        'Test-PostureSyncHealth'
        'Get-NadSession'
        'Connect-IseServer'
        'Get-IsePsn'
        'Get-IseDacl'
        'Test-IseComplianceDacl'
        'Get-IseSessionPosture'
        'Export-PostureSyncReport'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @('Get-DartSyncEvent')
    PrivateData          = @{
        PSData = @{
            Tags         = @('Cisco', 'ISE', 'Posture', 'SecureClient', 'AnyConnect', 'dACL', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = 'See README.md.'
        }
    }
}
