using System;
using System.Collections.Generic;
using System.Threading;
using PostureSync.Core.Dart;
using PostureSync.Core.Health;
using PostureSync.Core.Platform;

namespace PostureSync.Core.AgentLog
{
    /// <summary>The live health check's view of the agent's log: this OS's <see cref="ILiveLogSource"/> read as events.</summary>
    internal sealed class LiveAgentLog : ILiveAgentLog
    {
        private readonly ILiveLogSource source;

        public LiveAgentLog(ILiveLogSource source, string description)
        {
            this.source = source;
            Description = description;
        }

        public string Description { get; }

        public static LiveAgentLog ForCurrentSystem() =>
            new LiveAgentLog(LiveLogSources.ForCurrentSystem(LiveLogLimits.Default), LiveLogSources.Describe(OsPlatformDetector.Current));

        /// <summary>Every event since the time (the walk picks the state-sync ones); the first failure ends the read and is thrown.</summary>
        public IEnumerable<DartSyncEvent> ReadSince(DateTime since, CancellationToken cancellation)
        {
            var reader = new DartSyncEventReader(new DartSyncEventQuery()) { Cancellation = cancellation };
            return reader.ReadLive(source, since);
        }
    }
}
