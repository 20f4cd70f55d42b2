using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace PostureSync.Core.Tests.Report.Browser
{
    /// <summary>
    /// A headless Chromium driven over the DevTools protocol on loopback: start, navigate, evaluate, screenshot, and
    /// record every network request the page makes. Each wait is bounded; Dispose kills the browser and its helpers.
    /// </summary>
    internal sealed class HeadlessChromium : IAsyncDisposable
    {
        /// <summary>Where the test machine names its browser, else the usual Debian and upstream names on PATH.</summary>
        public const string ExecutableVariable = "POSTURESYNC_CHROMIUM";

        public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

        private static readonly string[] Names = { "chromium-headless-shell", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable" };

        private readonly Process process;
        private readonly string profile;
        private readonly ClientWebSocket socket = new ClientWebSocket();
        private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> pending = new ConcurrentDictionary<int, TaskCompletionSource<JsonElement>>();
        private readonly ConcurrentQueue<(string Method, JsonElement Params)> events = new ConcurrentQueue<(string, JsonElement)>();
        private readonly SemaphoreSlim eventArrived = new SemaphoreSlim(0);
        private readonly CancellationTokenSource closing = new CancellationTokenSource();
        private Task? receiving;
        private int nextId;

        private HeadlessChromium(Process process, string profile)
        {
            this.process = process;
            this.profile = profile;
        }

        /// <summary>The browser to use, or null with the reason none can be had.</summary>
        public static (string? Path, string Reason) Find()
        {
            string? named = Environment.GetEnvironmentVariable(ExecutableVariable);
            if (!string.IsNullOrEmpty(named))
            {
                return File.Exists(named) ? (named, string.Empty) : (null, $"{ExecutableVariable} names '{named}', which does not exist");
            }

            string[] folders = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
            foreach (string name in Names)
            {
                foreach (string folder in folders)
                {
                    string candidate = Path.Combine(folder, name);
                    if (File.Exists(candidate))
                    {
                        return (candidate, string.Empty);
                    }
                }
            }

            return (null, $"no headless Chromium on this machine (looked for {string.Join(", ", Names)} on PATH; {ExecutableVariable} is not set). .ci/run installs Debian's chromium where it runs as root with apt-get");
        }

        public static async Task<HeadlessChromium> StartAsync(string executable)
        {
            string profile = Directory.CreateTempSubdirectory("posturesync-chromium-").FullName;
            var start = new ProcessStartInfo(executable)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (string argument in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps", "--mute-audio",
                // Belt and braces for the network rule: no name resolves, so nothing but loopback literals can be reached.
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--window-size=1280,800",
                "--user-data-dir=" + profile, "about:blank",
            })
            {
                start.ArgumentList.Add(argument);
            }

            Process process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start");
            var browser = new HeadlessChromium(process, profile);
            try
            {
                await browser.ConnectAsync();
                return browser;
            }
            catch
            {
                await browser.DisposeAsync();
                throw;
            }
        }

        private async Task ConnectAsync()
        {
            using var deadline = new CancellationTokenSource(Timeout);
            _ = process.StandardOutput.ReadToEndAsync();
            string? endpoint = null;
            var said = new StringBuilder();
            while (endpoint == null)
            {
                string? line = await process.StandardError.ReadLineAsync(deadline.Token);
                if (line == null)
                {
                    throw new InvalidOperationException("Chromium ended before it opened DevTools: " + said);
                }

                said.AppendLine(line);
                Match match = Regex.Match(line, @"DevTools listening on (ws://127\.0\.0\.1:(\d+)/\S+)");
                if (match.Success)
                {
                    endpoint = match.Groups[2].Value;
                }
            }

            _ = DrainAsync(process.StandardError);
            using var http = new HttpClient { Timeout = Timeout };
            string list = await http.GetStringAsync($"http://127.0.0.1:{endpoint}/json/list", deadline.Token);
            string page = JsonNode.Parse(list)!.AsArray().First(t => (string?)t!["type"] == "page")!["webSocketDebuggerUrl"]!.GetValue<string>();
            await socket.ConnectAsync(new Uri(page), deadline.Token);
            receiving = Task.Run(ReceiveAsync);
        }

        private static async Task DrainAsync(StreamReader reader)
        {
            while (await reader.ReadLineAsync() != null)
            {
            }
        }

        public async Task<JsonElement> SendAsync(string method, object? parameters = null)
        {
            int id = Interlocked.Increment(ref nextId);
            var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
            pending[id] = answer;
            byte[] message = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters ?? new { } });
            using var deadline = new CancellationTokenSource(Timeout);
            await socket.SendAsync(message, WebSocketMessageType.Text, true, deadline.Token);
            JsonElement reply = await answer.Task.WaitAsync(Timeout);
            if (reply.TryGetProperty("error", out JsonElement error))
            {
                throw new InvalidOperationException($"{method}: {error}");
            }

            return reply.GetProperty("result");
        }

        /// <summary>Navigates and waits for the load event.</summary>
        public async Task NavigateAsync(string url)
        {
            while (events.TryDequeue(out _))
            {
            }

            await SendAsync("Page.navigate", new { url });
            await WaitForEventAsync("Page.loadEventFired");
        }

        public async Task WaitForEventAsync(string method)
        {
            DateTime until = DateTime.UtcNow + Timeout;
            while (!events.Any(e => e.Method == method))
            {
                TimeSpan left = until - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !await eventArrived.WaitAsync(left))
                {
                    throw new TimeoutException($"Chromium sent no {method} within {Timeout.TotalSeconds} s");
                }
            }
        }

        public IReadOnlyList<JsonElement> Events(string method) => events.Where(e => e.Method == method).Select(e => e.Params).ToList();

        /// <summary>The value of a JavaScript expression in the page (JSON-serialisable results only).</summary>
        public async Task<JsonElement> EvaluateAsync(string expression)
        {
            JsonElement result = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true });
            if (result.TryGetProperty("exceptionDetails", out JsonElement thrown))
            {
                throw new InvalidOperationException($"{expression}: {thrown}");
            }

            return result.GetProperty("result").TryGetProperty("value", out JsonElement value) ? value : default;
        }

        public async Task<byte[]> ScreenshotAsync() =>
            Convert.FromBase64String((await SendAsync("Page.captureScreenshot", new { format = "png" })).GetProperty("data").GetString()!);

        private async Task ReceiveAsync()
        {
            var buffer = new byte[1 << 16];
            var message = new MemoryStream();
            try
            {
                while (socket.State == WebSocketState.Open)
                {
                    WebSocketReceiveResult part = await socket.ReceiveAsync(buffer, closing.Token);
                    if (part.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }

                    message.Write(buffer, 0, part.Count);
                    if (!part.EndOfMessage)
                    {
                        continue;
                    }

                    using JsonDocument document = JsonDocument.Parse(message.ToArray());
                    message.SetLength(0);
                    JsonElement root = document.RootElement.Clone();
                    if (root.TryGetProperty("id", out JsonElement id) && pending.TryRemove(id.GetInt32(), out TaskCompletionSource<JsonElement>? answer))
                    {
                        answer.TrySetResult(root);
                    }
                    else if (root.TryGetProperty("method", out JsonElement method))
                    {
                        events.Enqueue((method.GetString()!, root.TryGetProperty("params", out JsonElement p) ? p : default));
                        eventArrived.Release();
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException || ex is WebSocketException)
            {
                // The browser closed or the test is done: pending calls fail below rather than hang.
            }

            foreach (TaskCompletionSource<JsonElement> answer in pending.Values)
            {
                answer.TrySetException(new InvalidOperationException("Chromium closed the DevTools connection"));
            }
        }

        public async ValueTask DisposeAsync()
        {
            closing.Cancel();
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync(new CancellationTokenSource(Timeout).Token);
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is OperationCanceledException || ex is System.ComponentModel.Win32Exception)
            {
                // Already gone, or it would not die in time: the test result stands either way.
            }

            if (receiving != null)
            {
                await Task.WhenAny(receiving, Task.Delay(Timeout));
            }

            socket.Dispose();
            process.Dispose();
            closing.Dispose();
            eventArrived.Dispose();
            try
            {
                Directory.Delete(profile, true);
            }
            catch (IOException)
            {
                // A helper process may still hold a file for a moment; the folder is under the temp directory.
            }
        }
    }
}
