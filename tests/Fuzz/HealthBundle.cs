using System.Collections.Generic;
using System.Linq;
using PostureSync.Core.Config;
using PostureSync.Core.Dart;
using PostureSync.Core.Health;

namespace PostureSync.Fuzz
{
    /// <summary>The offline health walk over one bundle: its profile, its log, one verdict.</summary>
    internal static class HealthBundle
    {
        internal static string Check(string path)
        {
            var evidence = new HealthEvidence { Endpoint = "fuzz", Source = path };
            evidence.Profile = HealthEvaluator.ChooseProfile(PostureProfileReader.ReadPath(path, ex => evidence.ProfileProblem ??= ex.ErrorId), out IReadOnlyList<PostureSyncConfig> setAside);
            evidence.ProfilesSetAside = setAside;
            var reader = new DartSyncEventReader(new DartSyncEventQuery()) { Failure = ex => evidence.LogProblem ??= ex.ErrorId };
            evidence.Log = reader.Read(path).ToList();
            return HealthEvaluator.Evaluate(evidence).Status;
        }
    }
}
