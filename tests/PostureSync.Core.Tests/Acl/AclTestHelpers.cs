using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using PostureSync.Core.Acl;
using Xunit;

namespace PostureSync.Core.Tests.Acl
{
    internal static class AclTestHelpers
    {
        public static readonly PsnTarget Psn1 = new PsnTarget("10.1.1.1", IPAddress.Parse("10.1.1.1"));

        public static AclDocument Parse(AclInputFormat format, params string[] lines) =>
            AclParser.Parse(string.Join("\n", lines), format, "-Content");

        /// <summary>dACL text that must parse cleanly into one IPv4 list.</summary>
        public static AclList Dacl(params string[] lines)
        {
            AclDocument document = Parse(AclInputFormat.Dacl, lines);
            Assert.Empty(document.Errors);
            return Assert.Single(document.Lists);
        }

        public static AclLine Ace(string text, AclFamily family = AclFamily.IPv4, bool standard = false) =>
            AceParser.Parse(text, 1, 0, family, standard, out _)!;

        public static AclSyntaxError Error(string text, AclFamily family = AclFamily.IPv4)
        {
            AclLine line = Ace(text, family);
            Assert.Equal(AclLineKind.Invalid, line.Kind);
            return line.Error!;
        }

        public static DaclTestResult Evaluate(AclList list, string psn = "10.1.1.1", int port = 8449, string? endpoint = null) =>
            DaclEvaluator.EvaluateOne(list, new PsnTarget(psn, IPAddress.Parse(psn)), port, endpoint is null ? null : IPAddress.Parse(endpoint), new string[0]);

        /// <summary>
        /// Lints with the default work units but no practical time limit, so what a test asserts does not depend on how
        /// busy the machine is (the units, not the clock, decide where a large list's check stops).
        /// </summary>
        public static IReadOnlyList<string> Lint(AclList list, params string[] psns) =>
            AclLinter.Lint(list, psns.Select(p => new PsnTarget(p, IPAddress.Parse(p))).ToList(), 8449, new WorkBudget(WorkBudget.DefaultUnits, TimeSpan.FromMinutes(10)));

        /// <summary>Whether the line's header space holds the packet (protocol, source:port -> destination:port).</summary>
        public static bool Matches(AclLine line, int protocol, string source, int sourcePort, string destination, int destinationPort, bool established = false)
        {
            Ternary.Split(IPAddress.Parse(source), out ulong sHi, out ulong sLo);
            Ternary.Split(IPAddress.Parse(destination), out ulong dHi, out ulong dLo);
            var point = new HeaderPoint(protocol, sHi, sLo, sourcePort, dHi, dLo, destinationPort, established ? ConnectionStates.Established : ConnectionStates.Opening);
            return line.Cubes.Any(c => c.Contains(point));
        }

        public static bool MatchesTcp(AclLine line, string destination, int port, string source = "192.0.2.1", int sourcePort = 1024) =>
            Matches(line, 6, source, sourcePort, destination, port);

        public static string Fixture(string name) => File.ReadAllText(Path.Combine("Fixtures", "Acl", name));
    }
}
