using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using PostureSync.Core;

namespace PostureSync.Fuzz
{
    /// <summary>
    /// The seeded mutation fuzzer behind <c>./build.ps1 -Task Fuzz</c>. The driver mutates fixture inputs and hands
    /// each to a worker process whose GC heap is capped (DOTNET_GCHeapHardLimit); an input fails when the worker
    /// lets any exception but PostureSyncException out, spends more than the time bound of CPU on it, or runs out of
    /// heap. CPU time, not wall time, is the bound, so a machine busy with other work does not make false failures;
    /// a wall-clock limit well above it still catches an input that hangs. Each new failure is minimised and saved
    /// under the output folder with its stack top.
    /// </summary>
    public static class Program
    {
        public const long HeapLimitBytes = 200L * 1024 * 1024;
        public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(2);

        /// <summary>A worker that answers nothing for this long is stuck (waiting, not computing), whatever the load.</summary>
        public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(30);

        public static int Main(string[] args)
        {
            if (args.Length == 2 && args[0] == "worker")
            {
                return Worker(args[1]);
            }

            if (args.Length == 2 && args[0] == "bench")
            {
                return Bench(args[1]);
            }

            var options = Options.Parse(args);
            if (options is null)
            {
                Console.Error.WriteLine("usage: PostureSync.Fuzz [--minutes N] [--target NAME[,NAME...]] [--seed N] --fixtures DIR --out DIR");
                Console.Error.WriteLine("       targets: " + string.Join(", ", FuzzTargets.Names));
                return 2;
            }

            return new Driver(options).Run();
        }

        /// <summary>Reads input paths from stdin, one per line; answers "ok", or "fail KIND stack-top" (and exits on memory).</summary>
        private static int Worker(string target)
        {
            string scratch = Path.Combine(Path.GetTempPath(), "posturesync-fuzz-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(scratch);
            try
            {
                string? line;
                using Process self = Process.GetCurrentProcess();
                while ((line = Console.In.ReadLine()) != null)
                {
                    byte[] input = File.ReadAllBytes(line);
                    self.Refresh();
                    TimeSpan cpuBefore = self.TotalProcessorTime;
                    string ok()
                    {
                        self.Refresh();
                        return "ok " + (self.TotalProcessorTime - cpuBefore).TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture);
                    }

                    try
                    {
                        Console.Error.WriteLine(FuzzTargets.Run(target, input, scratch));
                        Console.Out.WriteLine(ok());
                    }
                    catch (PostureSyncException ex)
                    {
                        Console.Error.WriteLine(ex.ErrorId + ": " + ex.Message);
                        Console.Out.WriteLine(ok());
                    }
                    catch (OutOfMemoryException ex)
                    {
                        Console.Out.WriteLine("fail memory " + StackTop(ex));
                        Console.Out.Flush();
                        return 3;
                    }
                    catch (Exception ex)
                    {
                        Console.Out.WriteLine("fail exception " + ex.GetType().FullName + " " + StackTop(ex));
                    }

                    Console.Out.Flush();
                }

                return 0;
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
        }

        /// <summary>
        /// One target on its largest accepted input, in this process (run it in a fresh one): bytes per second and the
        /// peak of live heap, sampled after full collections while it runs. Prints one line.
        /// </summary>
        private static int Bench(string target)
        {
            byte[] input = LargestInputs.For(target);
            string scratch = Path.Combine(Path.GetTempPath(), "posturesync-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(scratch);
            try
            {
                RunQuietly(target, FuzzTargets.IsBundle(target) ? FuzzTargets.Bundle(null, Encoding.UTF8.GetBytes("x")) : Encoding.UTF8.GetBytes("permit ip any any"), scratch);
                long baseline = GC.GetTotalMemory(forceFullCollection: true);
                long peak = baseline;
                using var self = Process.GetCurrentProcess();
                TimeSpan cpu = self.TotalProcessorTime;
                var wall = Stopwatch.StartNew();
                string outcome;
                using (new System.Threading.Timer(_ => peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true)), null, 50, 50))
                {
                    outcome = RunQuietly(target, input, scratch);
                }

                wall.Stop();
                self.Refresh();
                double seconds = wall.Elapsed.TotalSeconds;
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-15} {1,12:N0} bytes  {2,7:N1} MB/s  {3,6:N2} s wall  {4,6:N2} s CPU  peak live heap {5,6:N1} MB  ({6})",
                    target, input.Length, input.Length / seconds / 1e6, seconds, (self.TotalProcessorTime - cpu).TotalSeconds, (peak - baseline) / 1e6, outcome));
                return 0;
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
        }

        private static string RunQuietly(string target, byte[] input, string scratch)
        {
            try
            {
                return FuzzTargets.Run(target, input, scratch);
            }
            catch (PostureSyncException ex)
            {
                return ex.ErrorId;
            }
        }

        internal static string StackTop(Exception ex)
        {
            string frame = (ex.StackTrace ?? string.Empty).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "(no stack)";
            return frame.Replace("\r", string.Empty);
        }

        internal sealed class Options
        {
            public double Minutes { get; private set; } = 1;

            public string[] Targets { get; private set; } = FuzzTargets.Names;

            public int Seed { get; private set; } = 15;

            public string Fixtures { get; private set; } = string.Empty;

            public string Out { get; private set; } = string.Empty;

            public static Options? Parse(string[] args)
            {
                var o = new Options();
                for (int i = 0; i + 1 < args.Length; i += 2)
                {
                    string value = args[i + 1];
                    switch (args[i])
                    {
                        case "--minutes":
                            o.Minutes = double.Parse(value, CultureInfo.InvariantCulture);
                            break;
                        case "--target":
                            o.Targets = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                            if (o.Targets.Any(t => !FuzzTargets.Names.Contains(t)))
                            {
                                return null;
                            }

                            break;
                        case "--seed":
                            o.Seed = int.Parse(value, CultureInfo.InvariantCulture);
                            break;
                        case "--fixtures":
                            o.Fixtures = value;
                            break;
                        case "--out":
                            o.Out = value;
                            break;
                        default:
                            return null;
                    }
                }

                return args.Length % 2 == 0 && o.Fixtures.Length > 0 && o.Out.Length > 0 ? o : null;
            }
        }

        /// <summary>Runs each target for its share of the time and reports inputs per second and new failures.</summary>
        private sealed class Driver
        {
            private readonly Options options;
            private readonly HashSet<string> known = new HashSet<string>();

            public Driver(Options options) => this.options = options;

            public int Run()
            {
                Directory.CreateDirectory(options.Out);
                foreach (string saved in Directory.EnumerateFiles(options.Out, "*.txt", SearchOption.AllDirectories))
                {
                    known.Add(File.ReadLines(saved).FirstOrDefault() ?? string.Empty);
                }

                TimeSpan share = TimeSpan.FromMinutes(options.Minutes / options.Targets.Length);
                int failures = 0;
                var summary = new List<string>();
                foreach (string target in options.Targets)
                {
                    (long inputs, int found, TimeSpan took) = RunTarget(target, share);
                    failures += found;
                    summary.Add(string.Format(CultureInfo.InvariantCulture, "{0,-15} {1,9:N0} inputs  {2,8:N1} inputs/s  {3} new failure(s)", target, inputs, inputs / took.TotalSeconds, found));
                }

                Console.WriteLine();
                summary.ForEach(Console.WriteLine);
                Console.WriteLine(failures == 0
                    ? "Fuzz: no new failure in " + options.Minutes.ToString(CultureInfo.InvariantCulture) + " minute(s) over " + string.Join(", ", options.Targets) + "."
                    : "Fuzz: " + failures + " new failure(s), saved under " + options.Out + ".");
                return failures == 0 ? 0 : 1;
            }

            private (long Inputs, int Found, TimeSpan Took) RunTarget(string target, TimeSpan share)
            {
                List<byte[]> seeds = Seeds.For(target, options.Fixtures);
                var mutator = new Mutator(options.Seed ^ target.GetHashCode(StringComparison.Ordinal) & 0x7fffffff);
                var random = new Random(options.Seed);
                string scratch = Path.Combine(options.Out, ".inputs");
                Directory.CreateDirectory(scratch);
                string inputPath = Path.Combine(scratch, target + ".bin");
                using var worker = new WorkerProcess(target, seeds[0]);
                var clock = Stopwatch.StartNew();
                long inputs = 0;
                int found = 0;
                DateTime nextReport = DateTime.UtcNow.AddSeconds(10);

                // Seeds first: they must pass, and they warm the worker so JIT time is not charged to a mutation.
                foreach (byte[] seed in seeds)
                {
                    found += Try(worker, target, seed, inputPath) ? 0 : 1;
                }

                while (clock.Elapsed < share)
                {
                    byte[] input = mutator.Mutate(target, seeds[random.Next(seeds.Count)], seeds[random.Next(seeds.Count)]);
                    inputs++;
                    found += Try(worker, target, input, inputPath) ? 0 : 1;
                    if (DateTime.UtcNow >= nextReport)
                    {
                        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0}: {1:N0} inputs, {2:N1}/s", target, inputs, inputs / clock.Elapsed.TotalSeconds));
                        nextReport = DateTime.UtcNow.AddSeconds(30);
                    }
                }

                return (inputs, found, clock.Elapsed);
            }

            /// <summary>True when the input passes or fails the way an already-saved one does; a new failure is minimised and saved.</summary>
            private bool Try(WorkerProcess worker, string target, byte[] input, string inputPath)
            {
                string? failure = worker.Run(input, inputPath);
                if (failure is null)
                {
                    return true;
                }

                string key = target + " " + failure;
                if (!known.Add(key))
                {
                    return true;
                }

                byte[] minimal = Minimise(worker, target, input, inputPath, failure);
                string name = Convert.ToHexString(SHA256.HashData(minimal)).Substring(0, 16).ToLowerInvariant();
                string folder = Path.Combine(options.Out, target);
                Directory.CreateDirectory(folder);
                File.WriteAllBytes(Path.Combine(folder, name + ".bin"), minimal);
                File.WriteAllText(Path.Combine(folder, name + ".txt"), key + "\n" + input.Length + " bytes, minimised to " + minimal.Length + "\n");
                Console.WriteLine("NEW FAILURE " + key + " -> " + Path.Combine(folder, name + ".bin"));
                return false;
            }

            /// <summary>Drops chunks while the same failure persists (halves, then quarters, ...), for at most a minute.</summary>
            private static byte[] Minimise(WorkerProcess worker, string target, byte[] input, string inputPath, string failure)
            {
                var clock = Stopwatch.StartNew();
                byte[] current = input;
                for (int chunk = current.Length / 2; chunk >= 1 && clock.Elapsed < TimeSpan.FromMinutes(1); chunk /= 2)
                {
                    for (int at = 0; at + chunk <= current.Length && clock.Elapsed < TimeSpan.FromMinutes(1);)
                    {
                        byte[] smaller = current.Take(at).Concat(current.Skip(at + chunk)).ToArray();
                        if (worker.Run(smaller, inputPath) == failure)
                        {
                            current = smaller;
                        }
                        else
                        {
                            at += chunk;
                        }
                    }
                }

                return current;
            }
        }

        /// <summary>A worker process with a capped heap, restarted after a timeout or a crash.</summary>
        private sealed class WorkerProcess : IDisposable
        {
            private readonly string target;
            private readonly byte[] warmUp;
            private Process? process;

            /// <param name="warmUp">An input run (its outcome ignored) by each new worker, so JIT time is never charged to a mutation.</param>
            public WorkerProcess(string target, byte[] warmUp)
            {
                this.target = target;
                this.warmUp = warmUp;
            }

            /// <summary>Null when the input passed; otherwise "KIND stack-top".</summary>
            public string? Run(byte[] input, string inputPath)
            {
                Process worker = process ??= Start(inputPath);
                File.WriteAllBytes(inputPath, input);
                worker.StandardInput.WriteLine(inputPath);
                worker.StandardInput.Flush();
                var read = worker.StandardOutput.ReadLineAsync();
                if (!read.Wait(HangLimit))
                {
                    Stop();
                    return "hang (no answer in " + HangLimit.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s)";
                }

                string? answer = read.Result;
                if (answer is null || answer.StartsWith("fail memory", StringComparison.Ordinal))
                {
                    Stop();
                    return answer is null ? "crash (worker exited)" : answer.Substring(5);
                }

                if (answer.StartsWith("ok ", StringComparison.Ordinal))
                {
                    double cpuMs = double.Parse(answer.Substring(3), CultureInfo.InvariantCulture);
                    return cpuMs > TimeLimit.TotalMilliseconds ? "time over " + TimeLimit.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s of CPU" : null;
                }

                return answer.Substring(5);
            }

            public void Dispose() => Stop();

            private Process Start(string inputPath)
            {
                var start = new ProcessStartInfo(Environment.ProcessPath!)
                {
                    RedirectStandardInput = true,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                string? dll = typeof(Program).Assembly.Location;
                if (!string.IsNullOrEmpty(dll) && Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
                {
                    start.ArgumentList.Add(dll);
                }

                start.ArgumentList.Add("worker");
                start.ArgumentList.Add(target);
                start.Environment["DOTNET_GCHeapHardLimit"] = "0x" + HeapLimitBytes.ToString("X", CultureInfo.InvariantCulture);
                start.Environment["DOTNET_TieredPGO"] = "0";
                Process started = Process.Start(start)!;
                started.ErrorDataReceived += (_, _) => { };
                started.BeginErrorReadLine();
                File.WriteAllBytes(inputPath, warmUp);
                started.StandardInput.WriteLine(inputPath);
                started.StandardInput.Flush();
                _ = started.StandardOutput.ReadLineAsync().Wait(HangLimit);
                return started;
            }

            private void Stop()
            {
                if (process is null)
                {
                    return;
                }

                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // It had exited already.
                }

                process.WaitForExit();
                process.Dispose();
                process = null;
            }
        }
    }
}
