# Every parser and reader on the largest input it accepts (issue 15): bytes per second and the peak of live heap,
# each target in its own process (tests/Fuzz, "bench" mode) with the 200 MB heap limit the fuzzer enforces, so a
# bound that does not hold shows as a failure here. Every figure is a plain line; README quotes them.
$ErrorActionPreference = 'Stop'
$root = Split-Path (Split-Path $PSScriptRoot)
& dotnet build (Join-Path $root 'tests/Fuzz/PostureSync.Fuzz.csproj') -c Release --nologo --verbosity quiet
if ($LASTEXITCODE -ne 0) { throw 'The fuzz project did not build.' }
$fuzzer = Join-Path $root 'tests/Fuzz/bin/Release/net10.0/PostureSync.Fuzz.dll'
$failed = 0
$env:DOTNET_GCHeapHardLimit = '0xC800000'
try {
    foreach ($target in 'profile', 'profile-bundle', 'log', 'log-bundle', 'health-bundle', 'dacl', 'avpair', 'show') {
        & dotnet $fuzzer bench $target
        if ($LASTEXITCODE -ne 0) { "MISSED: $target did not finish within a 200 MB heap (exit code $LASTEXITCODE)"; $failed++ }
    }
}
finally { Remove-Item Env:DOTNET_GCHeapHardLimit }
if ($failed) { exit 1 }
