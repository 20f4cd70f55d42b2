using System;
using System.Linq;
using Xunit;

namespace PostureSync.Core.Tests
{
    /// <summary>
    /// PostureSync.Core's public types are the module's contract with scripts: what the cmdlets write, what their
    /// parameters take, and the failure model. Everything else (parsers, evaluators, readers, probes, the health walk)
    /// is internal, visible to the cmdlet assembly and these tests only, so it can change without breaking anyone.
    /// </summary>
    public sealed class PublicSurfaceTests
    {
        /// <summary>
        /// To add a contract type (a new result type a cmdlet writes, an enum a parameter takes): make it public, add
        /// its full name here, and say in the pull request which cmdlet writes or takes it. A result type goes in
        /// src/PostureSync.Core/Results/, in the PostureSync namespace, flat, with a view. An engine type stays internal.
        /// </summary>
        private static readonly string[] Contract =
        {
            // Result types, written by the cmdlets (their names are the PowerShell type names the views select).
            "PostureSync.AgentRestartResult",
            "PostureSync.DaclTestResult",
            "PostureSync.DartSyncEvent",
            "PostureSync.HealthReport",
            "PostureSync.IseConnection",
            "PostureSync.IseDacl",
            "PostureSync.IseDaclAudit",
            "PostureSync.IsePsn",
            "PostureSync.IseSession",
            "PostureSync.NadSession",
            "PostureSync.PortTestResult",
            "PostureSync.PostureSyncConfig",
            "PostureSync.ProbeResult",

            // Parameter values.
            "PostureSync.Core.Acl.AclInputFormat",
            "PostureSync.Core.Probing.AddressFamilyFilter",
            "PostureSync.Core.Probing.PostureStatus",

            // The failure model: the exception inside each ErrorRecord, its kind, and the ErrorIds scripts match on.
            "PostureSync.Core.ErrorIds",
            "PostureSync.Core.FailureKind",
            "PostureSync.Core.PostureSyncException",
        };

        [Fact]
        public void TheCoreExportsTheContractTypesAndNothingElse()
        {
            string[] exported = typeof(PostureSyncException).Assembly.GetExportedTypes().Select(t => t.FullName!).OrderBy(n => n, StringComparer.Ordinal).ToArray();

            Assert.Equal(Contract.OrderBy(n => n, StringComparer.Ordinal), exported);
        }

        [Fact]
        public void EveryResultTypeLivesInTheResultsFolderNamespaceAndIsFlat()
        {
            Type[] results = typeof(PostureSyncException).Assembly.GetExportedTypes().Where(t => t.Namespace == "PostureSync").ToArray();

            Assert.NotEmpty(results);
            foreach (Type result in results)
            {
                Assert.True(result.IsSealed && result.IsClass, result.FullName);
                foreach (var property in result.GetProperties())
                {
                    Type type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                    bool flat = type.IsPrimitive || type == typeof(string) || type == typeof(DateTime) || type == typeof(TimeSpan) || type == typeof(string[])
                        || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(System.Collections.Generic.Dictionary<,>) && type.GetGenericArguments().All(a => a == typeof(string)));
                    Assert.True(flat, $"{result.Name}.{property.Name} is {property.PropertyType}: results stay flat so they survive remoting");
                }
            }
        }
    }
}
