BeforeAll {
    Import-Module $env:POSTURESYNC_MODULE -Force
    $script:Fixtures = (Resolve-Path (Join-Path $PSScriptRoot '../Fixtures/Dart')).Path
    $script:Windows = Join-Path $Fixtures 'AnyConnect_ISEPosture.windows.txt'
    $script:Mac = Join-Path $Fixtures 'AnyConnect_ISEPosture.macos.txt'
    . (Join-Path $PSScriptRoot 'Support/Zip.ps1')

    # Synthetic records in the documented format.
    function New-Record([string] $Time, [string] $Function, [string] $Message, [string] $Severity = 'Information') {
        "$Time [$Severity] aciseagent Function: $Function Thread Id: 0xC60 File: X.cpp Line: 1 Level: info :: $Message"
    }

}

Describe 'Get-DartSyncEvents' {
    Context 'files' {
        It 'tells the state-sync story of a log, typed and in file order' {
            $events = Get-DartSyncEvents -Path $Windows -WarningAction SilentlyContinue
            $events[0].PSTypeNames[0] | Should -Be 'PostureSync.DartSyncEvent'
            $events.EventType | Should -Be @('ConfigLoaded', 'PostureStatus', 'SyncProbeControl', 'SyncProbe', 'HttpRequest', 'HttpHeaders',
                'SyncProbe', 'DiscoveryRestart', 'Discovery', 'Transport', 'SyncProbeControl', 'PostureStatus', 'SyncProbeError', 'SyncProbe')
            $events[1].PostureStatus | Should -Be 'Compliant'
            $events[4].Url | Should -Be 'https://psn1.example.com:8449/'
            $events[4].Port | Should -Be 8449
            $events[5].Message | Should -Be "Response headers:`nHTTP/1.1 200 OK`nContent-Type: text/plain"
            $events[0].TimeCreated.Kind | Should -Be 'Unspecified'
            $events[0].LogPath | Should -Be $Windows
        }

        It 'warns once per log about skipped lines, with count and first line' {
            $null = Get-DartSyncEvents -Path $Windows -WarningVariable warnings -WarningAction SilentlyContinue
            @($warnings).Count | Should -Be 1
            "$($warnings[0])" | Should -Match '3 line\(s\).*line 1\)'
        }

        It 'reads bare macOS function names and -All adds Other' {
            $events = Get-DartSyncEvent -Path $Mac -All
            $events.EventType | Should -Be @('ConfigLoaded', 'PostureStatus', 'SyncProbeControl', 'Other', 'SyncProbe', 'SyncProbeError', 'Discovery', 'HttpRequest')
            $events[1].PostureStatus | Should -BeNullOrEmpty
        }

        It 'reads a log of any name, UTF-16 with a byte order mark' {
            $path = Join-Path $TestDrive 'from-user.log'
            [IO.File]::WriteAllText($path, (New-Record '2022/11/09 12:22:47' 'Authenticator::sendUIStatus' 'Status: NonCompliant') + "`r`n", [Text.Encoding]::BigEndianUnicode)
            $event = Get-DartSyncEvents -Path $path
            $event.PostureStatus | Should -Be 'NonCompliant'
        }

        It 'gives nothing and one warning that says the file is empty' {
            $path = Join-Path $TestDrive 'AnyConnect_ISEPosture.txt'
            New-Item -ItemType File -Path $path -Force | Out-Null
            Get-DartSyncEvents -Path $path -All -WarningVariable warnings -WarningAction SilentlyContinue -ErrorVariable problems | Should -BeNullOrEmpty
            @($warnings).Count | Should -Be 1
            "$($warnings[0])" | Should -Match 'is empty'
            $problems | Should -BeNullOrEmpty
        }

        It 'gives one PostureLogInvalid error and no events for binary junk' {
            $path = Join-Path $TestDrive 'junk.bin'
            $bytes = [byte[]]::new(100000)
            [Random]::new(3).NextBytes($bytes)
            [IO.File]::WriteAllBytes($path, $bytes)
            Get-DartSyncEvents -Path $path -All -WarningVariable warnings -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $warnings | Should -BeNullOrEmpty
            @($problems).Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'PostureLogInvalid,*'
            $problems[0].Exception.Message | Should -Match 'is not a posture log'
        }

        It 'reads a log the agent is still writing' {
            $path = Join-Path $TestDrive 'live.txt'
            $writer = [IO.FileStream]::new($path, 'Create', 'Write', [IO.FileShare]'ReadWrite, Delete')
            try {
                $bytes = [Text.Encoding]::UTF8.GetBytes((New-Record '2022/11/09 12:22:47' 'sessionSyncProbe' 'live') + "`n")
                $writer.Write($bytes, 0, $bytes.Length)
                $writer.Flush()
                (Get-DartSyncEvents -Path $path).Message | Should -Be 'live'
            }
            finally { $writer.Dispose() }
        }
    }

    Context 'folders and bundles' {
        BeforeAll {
            $script:Folder = Join-Path $TestDrive 'dart'
            New-Item -ItemType Directory -Path (Join-Path $Folder 'ISE Posture/old') -Force | Out-Null
            $current = Join-Path $Folder 'ISE Posture/AnyConnect_ISEPosture.txt'
            $rotated = Join-Path $Folder 'ISE Posture/old/AnyConnect_ISEPosture.txt.1'
            Set-Content -Path $current -Value (New-Record '2024/05/01 10:00:00' 'PeriodicProbe::sessionSyncProbe' 'current')
            Set-Content -Path $rotated -Value (New-Record '2024/05/01 08:00:00' 'PeriodicProbe::sessionSyncProbe' 'rotated')
            Set-Content -Path (Join-Path $Folder 'ISE Posture/ISEPostureCFG.xml') -Value '<cfg/>'
            (Get-Item $current).LastWriteTimeUtc = [datetime]::new(2024, 5, 1, 10, 0, 0, [DateTimeKind]::Utc)
            (Get-Item $rotated).LastWriteTimeUtc = [datetime]::new(2024, 5, 1, 8, 0, 0, [DateTimeKind]::Utc)
            $script:Zip = Join-Path $TestDrive 'bundle.zip'
            New-Zip $Zip @{
                'DART/Cisco Secure Client/ISE Posture/AnyConnect_ISEPosture.txt' = $current
                'DART/Cisco Secure Client/ISE Posture/ISEPostureCFG.xml'         = (Join-Path $Folder 'ISE Posture/ISEPostureCFG.xml')
            }
        }

        It 'reads every log below a folder, oldest first' {
            (Get-DartSyncEvents -Path $Folder).Message | Should -Be @('rotated', 'current')
        }

        It 'streams the log out of a DART zip without extracting it' {
            $event = Get-DartSyncEvents -Path $Zip
            $event.Message | Should -Be 'current'
            $event.BundlePath | Should -Be $Zip
            $event.LogPath | Should -Be "$Zip!/DART/Cisco Secure Client/ISE Posture/AnyConnect_ISEPosture.txt"
            Get-ChildItem $TestDrive -Recurse -Directory -Filter 'Cisco Secure Client' | Should -BeNullOrEmpty
        }

        It 'takes bundles from Get-ChildItem by property name' {
            Copy-Item $Zip (Join-Path $TestDrive 'second.zip')
            $events = Get-ChildItem (Join-Path $TestDrive '*.zip') | Get-DartSyncEvents
            @($events).Count | Should -Be 2
            ($events.BundlePath | Sort-Object -Unique).Count | Should -Be 2
        }

        It 'reports a corrupt zip as DartBundleInvalid and goes on with the next path' {
            $bad = Join-Path $TestDrive 'broken.zip'
            [IO.File]::WriteAllBytes($bad, [byte[]](0x50, 0x4B, 3, 4, 1, 2, 3))
            $events = Get-DartSyncEvents -Path $bad, $Zip -ErrorVariable problems -ErrorAction SilentlyContinue
            $events.Message | Should -Be 'current'
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'DartBundleInvalid,*'
            $problems[0].CategoryInfo.Category | Should -Be 'InvalidData'
        }

        It 'reports a bundle without a posture log as PostureLogNotFound' {
            $empty = Join-Path $TestDrive 'nolog.zip'
            New-Zip $empty @{ 'ISEPostureCFG.xml' = (Join-Path $Folder 'ISE Posture/ISEPostureCFG.xml') }
            Get-DartSyncEvents -Path $empty -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'PostureLogNotFound,*'
        }
    }

    Context 'filters' {
        It 'keeps the chosen event types, any case' {
            (Get-DartSyncEvents -Path $Windows -EventType syncprobeerror, PostureStatus -WarningAction SilentlyContinue).EventType |
                Should -Be @('PostureStatus', 'PostureStatus', 'SyncProbeError')
        }

        It 'keeps a time window, both ends included' {
            $events = Get-DartSyncEvents -Path $Windows -After '2022-11-09 12:26:24' -Before '2022-11-09 12:26:24' -WarningAction SilentlyContinue
            $events.EventType | Should -Be @('SyncProbe', 'DiscoveryRestart', 'Discovery', 'Transport', 'SyncProbeControl')
        }

        It 'completes -EventType from the vocabulary' {
            $line = 'Get-DartSyncEvents -EventType SyncP'
            (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Should -Be @('SyncProbeControl', 'SyncProbe', 'SyncProbeError')
        }

        It 'refuses an unknown event type before reading' {
            { Get-DartSyncEvents -Path $Windows -EventType Probe -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidEventType,*'
        }

        It 'refuses -After later than -Before' {
            { Get-DartSyncEvents -Path $Windows -After '2023-01-02' -Before '2023-01-01' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidTimeRange,*'
        }
    }

    Context 'logs as admins hand them over' {
        It 'classifies re-spaced records, CRCRLF copies and UTF-16 without a mark' {
            $folder = Join-Path $TestDrive 'respaced [copy]'
            New-Item -ItemType Directory -Path $folder -Force | Out-Null
            $text = "2022/11/09  12:22:47 [ Information ]`taciseagent  Function:PeriodicProbe::sessionSyncProbe  Thread Id: 0x1 Level: info:: probing`r`r`n" +
                "2022/11/09 12:22:48 [Error] Function: sessionSyncProbe :: misconfigured`r`r`n"
            [IO.File]::WriteAllText((Join-Path $folder 'AnyConnect_ISEPosture.txt'), $text, [Text.UnicodeEncoding]::new($false, $false))

            $events = Get-DartSyncEvents -LiteralPath $folder -WarningVariable warnings
            $events.EventType | Should -Be @('SyncProbe', 'SyncProbeError')
            $events.Message | Should -Be @('probing', 'misconfigured')
            $events[0].Level | Should -Be 'info'
            $warnings | Should -BeNullOrEmpty
        }

        It 'reads rotated copies of equal time before the live log, from Get-ChildItem folders' {
            $folder = Join-Path $TestDrive 'rotated'
            New-Item -ItemType Directory -Path $folder -Force | Out-Null
            $time = [datetime]::new(2024, 5, 1, 10, 0, 0, [DateTimeKind]::Utc)
            foreach ($name in 'AnyConnect_ISEPosture.txt', 'AnyConnect_ISEPosture.txt.1', 'AnyConnect_ISEPosture.txt.2') {
                $path = Join-Path $folder $name
                Set-Content -Path $path -Value (New-Record '2024/05/01 10:00:00' 'PeriodicProbe::sessionSyncProbe' $name)
                (Get-Item $path).LastWriteTimeUtc = $time
            }

            (Get-Item $folder | Get-DartSyncEvents).Message |
                Should -Be @('AnyConnect_ISEPosture.txt.2', 'AnyConnect_ISEPosture.txt.1', 'AnyConnect_ISEPosture.txt')
        }

        It 'shows the time whole, and the message beside the type, in the table at 120 columns' {
            $line = Get-DartSyncEvents -Path $Windows -EventType HttpRequest -WarningAction SilentlyContinue | Format-Table | Out-String -Width 120
            $line | Should -Match '2022-11-09 12:22:47 +HttpRequest +\S'
        }
    }

    Context 'errors and streaming' {
        It 'reports a missing path per path and reads the rest' {
            $events = Get-DartSyncEvents -Path (Join-Path $TestDrive 'missing.zip'), $Mac -ErrorVariable problems -ErrorAction SilentlyContinue
            @($events).Count | Should -Be 7
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
        }

        It 'without a path reads the live log, and where it holds nothing says to collect a DART bundle (LogNotFound)' -Skip:(-not $IsLinux) {
            # A journal with none of the agent's lines (LiveAgentLog.Tests.ps1 covers one with them).
            $bin = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'empty-journal') -Force).FullName
            Set-Content -LiteralPath (Join-Path $bin 'journalctl') -Value "#!/bin/sh`nexit 0" -NoNewline
            & chmod 755 (Join-Path $bin 'journalctl')
            $saved = $env:PATH
            $env:PATH = $bin + [System.IO.Path]::PathSeparator + $env:PATH
            try { $failure = { Get-DartSyncEvents -ErrorAction Stop } | Should -Throw -ErrorId 'LogNotFound,*' -PassThru }
            finally { $env:PATH = $saved }
            "$($failure.ErrorDetails.RecommendedAction)" | Should -Match 'DART.*-Path'
        }

        It 'writes the first event long before a large log is read' {
            $path = Join-Path $TestDrive 'big.txt'
            $chatter = New-Record '2022/11/09 12:22:47' 'Worker::tick' ('x' * 100)
            $writer = [IO.StreamWriter]::new($path)
            try {
                $writer.WriteLine((New-Record '2022/11/09 12:22:46' 'PeriodicProbe::sessionSyncProbe' 'first'))
                for ($i = 0; $i -lt 100000; $i++) { $writer.WriteLine($chatter) }
            }
            finally { $writer.Dispose() }

            # The fastest of three first-event runs against one whole run, so a stall of a busy machine during one
            # short run does not decide (a stall during the whole run only widens the gap).
            $first = (1..3 | ForEach-Object { Measure-Command { $script:firstEvent = Get-DartSyncEvents -Path $path | Select-Object -First 1 } } | Measure-Object TotalMilliseconds -Minimum).Minimum
            $whole = Measure-Command { Get-DartSyncEvents -Path $path -All | Out-Null }
            $firstEvent.Message | Should -Be 'first'
            $first | Should -BeLessThan ($whole.TotalMilliseconds / 2)
        }
    }
}
