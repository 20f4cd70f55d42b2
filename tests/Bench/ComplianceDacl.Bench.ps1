# Test-ComplianceDacl speed (issue 4 target): 10,000 ACEs x 10 PSNs with the full lint (shadowing included) in under
# 1 s, and how the cost grows with the number of lines, up to about the most the 2,000,000-character cap admits. The
# workload is DaclWorkload.cs beside this script: PSN denies on top, host/subnet/range/ICMP lines, repeated lines and
# Batfish-style unions, permit ip any any at the end. Every figure is a plain line. Nothing is probed: PSNs are
# literal addresses.
$ErrorActionPreference = 'Stop'
Import-Module $env:POSTURESYNC_MODULE -Force

Add-Type -Path (Join-Path $PSScriptRoot 'DaclWorkload.cs') -ReferencedAssemblies 'System.Collections', 'System.Linq', 'System.Net.Primitives', 'System.Runtime', 'netstandard'
$bench = [PostureSync.Bench.DaclWorkload]
$psns = $bench::PsnAddresses(10)
$failed = $false

# The engine is internal: each figure is the command on the generated text (parse, lint, evaluate, 10 results written).
function Measure-Dacl([int] $Lines) {
    $text = $bench::Generate($Lines, 10)
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $null = Test-ComplianceDacl -Content $text -PsnAddress $psns -WarningAction SilentlyContinue
    $watch.Elapsed.TotalSeconds
}

# Warm-up: JIT the parser, the evaluator and the linter so the figures are steady-state.
$null = Measure-Dacl 2000

$figures = foreach ($lines in 1000, 4000, 10000, 40000) {
    $best = (1..3 | ForEach-Object { Measure-Dacl $lines } | Measure-Object -Minimum).Minimum
    "Test-ComplianceDacl -Content, $lines ACEs x 10 PSNs: {0:N3} s" -f $best
    [pscustomobject]@{ Lines = $lines; Seconds = $best }
}
$figures | Where-Object { $_ -is [string] }
$tenThousand = ($figures | Where-Object { $_ -isnot [string] -and $_.Lines -eq 10000 }).Seconds
if ($tenThousand -ge 1) { 'MISSED: 10,000 ACEs x 10 PSNs took 1 s or more'; $failed = $true }

$points = @($figures | Where-Object { $_ -isnot [string] })
for ($i = 1; $i -lt $points.Count; $i++) {
    $exponent = [Math]::Log($points[$i].Seconds / $points[$i - 1].Seconds) / [Math]::Log($points[$i].Lines / $points[$i - 1].Lines)
    "Growth {0} -> {1} lines: time x{2:N1} for lines x{3:N1} (exponent {4:N2})" -f $points[$i - 1].Lines, $points[$i].Lines,
        ($points[$i].Seconds / $points[$i - 1].Seconds), ($points[$i].Lines / $points[$i - 1].Lines), $exponent
}

# Through the cmdlet: file read, parse, lint, evaluate, 10 results and the findings written as warnings.
$file = Join-Path ([System.IO.Path]::GetTempPath()) ("dacl-bench-" + [guid]::NewGuid() + ".txt")
try {
    [System.IO.File]::WriteAllText($file, $bench::Generate(10000, 10))
    $null = Test-ComplianceDacl -Path $file -PsnAddress $psns -WarningAction SilentlyContinue
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $results = Test-ComplianceDacl -Path $file -PsnAddress $psns -WarningAction SilentlyContinue
    $cmdlet = $watch.Elapsed.TotalSeconds
    "Test-ComplianceDacl -Path (10,000 ACEs) -PsnAddress (10 PSNs): {0:N3} s, {1} results, verdicts {2}" -f $cmdlet, @($results).Count, (($results.Verdict | Sort-Object -Unique) -join ',')
}
finally {
    Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
}

$tenThousand = ($points | Where-Object Lines -eq 10000).Seconds
if ($tenThousand -ge 1 -or $cmdlet -ge 1) { "Missed: want 10,000 ACEs x 10 PSNs under 1 s."; exit 1 }

if ($failed) { exit 1 }
