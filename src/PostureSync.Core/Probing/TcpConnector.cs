using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace PostureSync.Core.Probing
{
    /// <summary>The end of one TCP connect attempt. Owns the socket when <see cref="State"/> is Open and it was kept.</summary>
    internal sealed class TcpConnectAttempt
    {
        public TcpConnectAttempt(string state, double? latencyMs, SocketError? socketError, string? errorText, Socket? socket)
        {
            State = state;
            LatencyMs = latencyMs;
            SocketError = socketError;
            ErrorText = errorText;
            Socket = socket;
        }

        public string State { get; }

        public double? LatencyMs { get; }

        public SocketError? SocketError { get; }

        public string? ErrorText { get; }

        public Socket? Socket { get; }
    }

    /// <summary>
    /// A bounded TCP connect: no byte is sent. netstandard2.0 has no cancellable ConnectAsync, so the wait races a
    /// timer and the socket is disposed when the timer wins, which aborts the pending connect.
    /// </summary>
    internal static class TcpConnector
    {
        public static async Task<TcpConnectAttempt> ConnectAsync(
            IPAddress address, int port, TimeSpan timeout, bool keepOpen, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            Stopwatch watch = Stopwatch.StartNew();
            Task connect;
            try
            {
                connect = socket.ConnectAsync(new IPEndPoint(address, port));
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                return Failed(ex, watch);
            }

            using (var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                Task finished = await Task.WhenAny(connect, Task.Delay(timeout, timer.Token)).ConfigureAwait(false);
                if (finished != connect)
                {
                    socket.Dispose();
                    Observe(connect);
                    cancellationToken.ThrowIfCancellationRequested();
                    return new TcpConnectAttempt(PortStates.Filtered, null, System.Net.Sockets.SocketError.TimedOut, "no answer within the timeout", null);
                }

                timer.Cancel();
            }

            try
            {
                await connect.ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                return Failed(ex, watch);
            }

            double latency = Round(watch.Elapsed.TotalMilliseconds);
            if (keepOpen)
            {
                return new TcpConnectAttempt(PortStates.Open, latency, null, null, socket);
            }

            socket.Dispose();
            return new TcpConnectAttempt(PortStates.Open, latency, null, null, null);
        }

        /// <summary>Maps a connect failure to a state: refusal and reset are answers, unreachable is routing, the rest is an error.</summary>
        public static string Classify(SocketError error) => error switch
        {
            System.Net.Sockets.SocketError.ConnectionRefused => PortStates.Closed,
            System.Net.Sockets.SocketError.ConnectionReset => PortStates.Closed,
            System.Net.Sockets.SocketError.TimedOut => PortStates.Filtered,
            System.Net.Sockets.SocketError.HostUnreachable => PortStates.Unreachable,
            System.Net.Sockets.SocketError.NetworkUnreachable => PortStates.Unreachable,
            System.Net.Sockets.SocketError.HostDown => PortStates.Unreachable,
            System.Net.Sockets.SocketError.NetworkDown => PortStates.Unreachable,
            _ => PortStates.Error,
        };

        internal static double Round(double milliseconds) => Math.Round(milliseconds, 2);

        private static TcpConnectAttempt Failed(SocketException ex, Stopwatch watch)
        {
            string state = Classify(ex.SocketErrorCode);
            double? latency = state == PortStates.Closed ? Round(watch.Elapsed.TotalMilliseconds) : (double?)null;
            return new TcpConnectAttempt(state, latency, ex.SocketErrorCode, ex.Message, null);
        }

        /// <summary>Keeps an abandoned task's exception from surfacing as an unobserved task exception.</summary>
        internal static void Observe(Task task) =>
            _ = task.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }
}
