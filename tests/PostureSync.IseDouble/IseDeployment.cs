using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;

namespace PostureSync.IseDouble
{
    /// <summary>A deployment node as the double serves it through the Open API and ERS.</summary>
    public sealed class DoubleNode
    {
        public string Hostname { get; set; } = string.Empty;

        public string Id { get; set; } = Guid.NewGuid().ToString();

        public string IpAddress { get; set; } = string.Empty;

        /// <summary>Every interface's IPv4 (ERS node ipAddresses).</summary>
        public List<string> IpAddresses { get; set; } = new List<string>();

        public string? Ipv6Address { get; set; }

        public List<string> Services { get; set; } = new List<string>();

        public List<string> Roles { get; set; } = new List<string>();

        public string NodeStatus { get; set; } = "Connected";

        public string Fqdn => Hostname + ".example.test";
    }

    public sealed class DoubleDacl
    {
        public string Id { get; set; } = Guid.NewGuid().ToString();

        public string Name { get; set; } = string.Empty;

        public string Description { get; set; } = string.Empty;

        /// <summary>The "dacl" field exactly as it goes on the wire.</summary>
        public string Wire { get; set; } = string.Empty;

        public string DaclType { get; set; } = "IPV4";
    }

    public sealed class DoubleProfile
    {
        public string Id { get; set; } = Guid.NewGuid().ToString();

        public string Name { get; set; } = string.Empty;

        public string? DaclName { get; set; }

        public string? Ipv6DaclName { get; set; }

        public string AccessType { get; set; } = "ACCESS_ACCEPT";
    }

    public sealed class DoublePolicySet
    {
        public string Id { get; set; } = Guid.NewGuid().ToString();

        public string Name { get; set; } = string.Empty;

        public string State { get; set; } = "enabled";

        public int Rank { get; set; }

        /// <summary>Items of the authorization list: {rule, profile, securityGroup, link}.</summary>
        public List<JsonObject> Rules { get; } = new List<JsonObject>();

        public List<JsonObject> Exceptions { get; } = new List<JsonObject>();
    }

    /// <summary>An MnT session: the sessionParameters elements by name.</summary>
    public sealed class DoubleSession
    {
        public Dictionary<string, string> Fields { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
    }

    /// <summary>What the double's ISE holds. <see cref="Standard"/> is the test deployment; <see cref="Generated"/> the bench's.</summary>
    public sealed class IseDeployment
    {
        public const string Compliant = "Compliant";

        public List<DoubleNode> Nodes { get; } = new List<DoubleNode>();

        public List<DoubleDacl> Dacls { get; } = new List<DoubleDacl>();

        public List<DoubleProfile> Profiles { get; } = new List<DoubleProfile>();

        public List<DoublePolicySet> PolicySets { get; } = new List<DoublePolicySet>();

        public List<JsonObject> GlobalExceptions { get; } = new List<JsonObject>();

        public Dictionary<string, JsonObject> LibraryConditions { get; } = new Dictionary<string, JsonObject>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Sessions by upper-case colon MAC.</summary>
        public Dictionary<string, DoubleSession> Sessions { get; } = new Dictionary<string, DoubleSession>(StringComparer.Ordinal);

        public IEnumerable<DoubleNode> Psns => Nodes.Where(n => n.Services.Contains("Session"));

        /// <summary>
        /// Four nodes (three PSNs; ise-psn1 has two IPv4 interfaces and an IPv6 address), good and bad Compliant dACLs,
        /// an IPv6 and an agnostic dACL, 120 filler dACLs (two ERS pages), nested, negated, library, notEquals, in,
        /// disabled, monitor and exception rules, a missing library condition and a profile naming a missing dACL.
        /// </summary>
        public static IseDeployment Standard()
        {
            var d = new IseDeployment();
            d.Nodes.Add(new DoubleNode { Hostname = "ise-pan1", IpAddress = "127.0.0.10", Services = { "Profiler" }, Roles = { "PrimaryAdmin", "PrimaryMonitoring" } });
            d.Nodes.Add(new DoubleNode { Hostname = "ise-psn1", IpAddress = "127.0.0.11", IpAddresses = { "127.0.0.11", "127.0.0.21" }, Ipv6Address = "::1", Services = { "Session", "Profiler" } });
            d.Nodes.Add(new DoubleNode { Hostname = "ise-psn2", IpAddress = "127.0.0.12", IpAddresses = { "127.0.0.12" }, Services = { "Session" } });
            d.Nodes.Add(new DoubleNode { Hostname = "ise-psn3", IpAddress = "127.0.0.13", Services = { "Session", "DeviceAdmin" }, NodeStatus = "Disconnected" });

            string AllDenies(params string[] addresses) => string.Join("\n ", addresses.Select(a => "deny tcp any host " + a + " eq 8449"));
            d.AddDacl("POSTURE_COMPLIANT_DACL", AllDenies("127.0.0.11", "127.0.0.21", "127.0.0.12", "127.0.0.13") + "\n permit ip any any");
            d.AddDacl("POSTURE_COMPLIANT_DACL_V6", "deny tcp any host ::1 eq 8449\npermit ipv6 any any", "IPV6");
            d.AddDacl("COMPLIANT_MISSING_PSN", AllDenies("127.0.0.11", "127.0.0.12") + "\npermit ip any any");
            d.AddDacl("COMPLIANT_PERMIT_FIRST", "permit ip any any\n" + AllDenies("127.0.0.11", "127.0.0.21", "127.0.0.12", "127.0.0.13"));
            d.AddDacl("COMPLIANT_AGNOSTIC", AllDenies("127.0.0.11", "127.0.0.21", "127.0.0.12", "127.0.0.13", "::1") + "\npermit ip any any", "IP_AGNOSTIC");
            d.AddDacl("COMPLIANT_CRLF", "  deny tcp any host 127.0.0.11 eq 8449\r\n  deny tcp any host 127.0.0.21 eq 8449\\n deny tcp any host 127.0.0.12 eq 8449\r\n deny tcp any host 127.0.0.13 eq 8449\\npermit ip any any");
            d.AddDacl("PERMIT_ALL_IPV4_TRAFFIC", "permit ip any any");
            for (int i = 1; i <= 120; i++)
            {
                d.AddDacl("FILLER_" + i.ToString("000", CultureInfo.InvariantCulture), "permit udp any any eq domain\ndeny ip any any");
            }

            d.Profiles.Add(new DoubleProfile { Name = "Posture_Compliant_Access", DaclName = "POSTURE_COMPLIANT_DACL", Ipv6DaclName = "POSTURE_COMPLIANT_DACL_V6" });
            d.Profiles.Add(new DoubleProfile { Name = "Compliant_Missing_Psn", DaclName = "COMPLIANT_MISSING_PSN" });
            d.Profiles.Add(new DoubleProfile { Name = "Compliant_Ghost", DaclName = "GHOST_DACL" });
            d.Profiles.Add(new DoubleProfile { Name = "Compliant_Permit_First", DaclName = "COMPLIANT_PERMIT_FIRST" });
            d.Profiles.Add(new DoubleProfile { Name = "Compliant_Agnostic", DaclName = "COMPLIANT_AGNOSTIC" });
            d.Profiles.Add(new DoubleProfile { Name = "Compliant_CRLF_Profile", DaclName = "COMPLIANT_CRLF" });
            d.Profiles.Add(new DoubleProfile { Name = "Posture_Redirect" });
            d.Profiles.Add(new DoubleProfile { Name = "PermitAccess", DaclName = "PERMIT_ALL_IPV4_TRAFFIC" });
            d.Profiles.Add(new DoubleProfile { Name = "DenyAccess", AccessType = "ACCESS_REJECT" });

            d.LibraryConditions["lib-compliant"] = Conditions.Library(Conditions.Posture("equals", Compliant), "lib-compliant", "Compliant_Devices");
            d.LibraryConditions["lib-wired"] = Conditions.Library(
                Conditions.And(Conditions.Attribute("Radius", "NAS-Port-Type", "equals", "Ethernet"), Conditions.Attribute("Network Access", "EapAuthentication", "notEquals", "")),
                "lib-wired", "Wired_802.1X");

            var wired = new DoublePolicySet { Name = "Wired_Dot1X", Rank = 0 };
            wired.Exceptions.Add(Conditions.Rule("Exception_Agnostic", 0,
                Conditions.And(Conditions.Posture("equals", Compliant), Conditions.Attribute("EndPoints", "LogicalProfile", "equals", "Printers")), "Compliant_Agnostic"));
            wired.Rules.Add(Conditions.Rule("Compliant_Employees", 0, Conditions.And(Conditions.Posture("equals", Compliant), Conditions.Reference("lib-wired", "Wired_802.1X")), "Posture_Compliant_Access"));
            wired.Rules.Add(Conditions.Rule("Compliant_Library", 1, Conditions.Reference("lib-compliant", "Compliant_Devices"), "Compliant_Missing_Psn"));
            wired.Rules.Add(Conditions.Rule("Nested_Not_NonCompliant", 2, Conditions.Or(
                Conditions.And(Conditions.Posture("notEquals", "NonCompliant"), Conditions.Attribute("Network Access", "EapAuthentication", "equals", "EAP-TLS")),
                Conditions.Negate(Conditions.Or(Conditions.Posture("equals", "Unknown"), Conditions.Posture("equals", "Pending")))), "Compliant_Ghost", profileInsideRule: true));
            wired.Rules.Add(Conditions.Rule("Posture_Unknown_Redirect", 3, Conditions.Posture("equals", "Unknown"), "Posture_Redirect"));
            wired.Rules.Add(Conditions.Rule("Not_Compliant_Quarantine", 4, Conditions.Negate(Conditions.And(Conditions.Posture("equals", Compliant))), "DenyAccess"));
            wired.Rules.Add(Conditions.Rule("Disabled_Compliant", 5, Conditions.Posture("equals", Compliant), "Compliant_Permit_First", state: "disabled"));
            wired.Rules.Add(Conditions.Rule("Missing_Library", 6, Conditions.Reference("lib-gone", "Retired_Compliant_Check"), "PermitAccess"));
            wired.Rules.Add(Conditions.Rule("Posture_In_List", 7, Conditions.Posture("in", "Compliant,Unknown"), "Compliant_CRLF_Profile"));
            wired.Rules.Add(Conditions.Rule("Default", 8, null, "DenyAccess", isDefault: true));
            d.PolicySets.Add(wired);

            var guest = new DoublePolicySet { Name = "Guest_Monitor", Rank = 1, State = "monitor" };
            guest.Rules.Add(Conditions.Rule("Monitor_Compliant", 0, Conditions.Posture("equals", Compliant), "Compliant_Permit_First"));
            guest.Rules.Add(Conditions.Rule("Default", 1, null, "DenyAccess", isDefault: true));
            d.PolicySets.Add(guest);

            var old = new DoublePolicySet { Name = "Old_Disabled", Rank = 2, State = "disabled" };
            old.Rules.Add(Conditions.Rule("Old_Compliant", 0, Conditions.Posture("equals", Compliant), "Compliant_Permit_First"));
            d.PolicySets.Add(old);

            d.GlobalExceptions.Add(Conditions.Rule("Global_NonCompliant_Block", 0, Conditions.Posture("equals", "NonCompliant"), "DenyAccess"));

            d.AddSession("00:14:22:01:23:45", ("posture_status", "Compliant"), ("user_name", "EXAMPLE\\alice"), ("framed_ip_address", "127.0.0.57"),
                ("nas_ip_address", "127.0.0.20"), ("acs_server", "ise-psn1"), ("selected_azn_profiles", "Posture_Compliant_Access"),
                ("dacl", "#ACSACL#-IP-POSTURE_COMPLIANT_DACL-5f1e2d3c"), ("auth_acs_timestamp", "2026-11-26T10:15:42.113+00:00"),
                ("other_attr_string", ":!:ISEPolicySetName=Wired_Dot1X:!:AuthorizationPolicyMatchedRule=Compliant_Employees"));
            d.AddSession("00:0C:29:FA:EF:0A", ("posture_status", string.Empty), ("nac_policy_compliance", "Pending"), ("user_name", "EXAMPLE\\bob"), ("acs_server", "ise-psn2"));
            d.AddSession("AA:BB:CC:00:11:22", ("posture_status", "NonCompliant"), ("user_name", "EXAMPLE\\carol"), ("acs_server", "ise-psn2"), ("selected_azn_profiles", "DenyAccess"));
            return d;
        }

        /// <summary>The bench's deployment: <paramref name="psns"/> PSNs, <paramref name="dacls"/> dACLs, <paramref name="rules"/> Compliant rules each with its own profile and dACL.</summary>
        public static IseDeployment Generated(int dacls, int rules, int psns)
        {
            var d = new IseDeployment();
            var addresses = new List<string>();
            for (int i = 1; i <= psns; i++)
            {
                string address = "127.0.1." + i.ToString(CultureInfo.InvariantCulture);
                addresses.Add(address);
                d.Nodes.Add(new DoubleNode { Hostname = "ise-psn" + i.ToString(CultureInfo.InvariantCulture), IpAddress = address, IpAddresses = { address }, Services = { "Session" } });
            }

            string denies = string.Join("\n", addresses.Select(a => "deny tcp any host " + a + " eq 8449"));
            for (int i = 0; i < dacls; i++)
            {
                // Every tenth dACL (5, 15, ...: the ones odd-numbered rules use) misses the last PSN, so the audit has failures to find.
                string text = i % 10 == 5 ? string.Join("\n", addresses.Take(psns - 1).Select(a => "deny tcp any host " + a + " eq 8449")) : denies;
                d.AddDacl("DACL_" + i.ToString("0000", CultureInfo.InvariantCulture), text + "\npermit tcp any any eq 443\npermit udp any any eq domain\npermit ip any any");
            }

            var set = new DoublePolicySet { Name = "Bench_Set" };
            for (int r = 0; r < rules; r++)
            {
                string profile = "Profile_" + r.ToString("000", CultureInfo.InvariantCulture);
                d.Profiles.Add(new DoubleProfile { Name = profile, DaclName = "DACL_" + (r * (dacls / Math.Max(1, rules))).ToString("0000", CultureInfo.InvariantCulture) });
                set.Rules.Add(Conditions.Rule("Rule_" + r.ToString("000", CultureInfo.InvariantCulture), r,
                    Conditions.And(Conditions.Posture("equals", Compliant), Conditions.Attribute("IdentityGroup", "Name", "equals", "Group" + r.ToString(CultureInfo.InvariantCulture))), profile));
            }

            d.PolicySets.Add(set);
            return d;
        }

        public DoubleDacl AddDacl(string name, string wire, string type = "IPV4")
        {
            var dacl = new DoubleDacl { Name = name, Wire = wire, DaclType = type, Description = name.Replace('_', ' ') };
            Dacls.Add(dacl);
            return dacl;
        }

        public void AddSession(string mac, params (string Name, string Value)[] fields)
        {
            var session = new DoubleSession();
            session.Fields["calling_station_id"] = mac;
            foreach ((string name, string value) in fields)
            {
                session.Fields[name] = value;
            }

            Sessions[mac] = session;
        }
    }

    /// <summary>Builders for Open API condition and rule JSON (ISE-API.md §4.3).</summary>
    public static class Conditions
    {
        public static JsonObject Attribute(string dictionary, string attribute, string op, string value) => new JsonObject
        {
            ["link"] = null,
            ["conditionType"] = "ConditionAttributes",
            ["isNegate"] = false,
            ["dictionaryName"] = dictionary,
            ["attributeName"] = attribute,
            ["operator"] = op,
            ["dictionaryValue"] = null,
            ["attributeValue"] = value,
        };

        public static JsonObject Posture(string op, string value) => Attribute("Session", "PostureStatus", op, value);

        public static JsonObject And(params JsonObject[] children) => Block("ConditionAndBlock", children);

        public static JsonObject Or(params JsonObject[] children) => Block("ConditionOrBlock", children);

        public static JsonObject Negate(JsonObject condition)
        {
            condition["isNegate"] = true;
            return condition;
        }

        public static JsonObject Reference(string id, string name) => new JsonObject
        {
            ["link"] = null,
            ["conditionType"] = "ConditionReference",
            ["isNegate"] = false,
            ["name"] = name,
            ["id"] = id,
            ["description"] = "library condition " + name,
        };

        /// <summary>A library condition body: the condition with its type renamed Library*, plus id and name.</summary>
        public static JsonObject Library(JsonObject condition, string id, string name)
        {
            condition["conditionType"] = "Library" + (string)condition["conditionType"]!;
            condition["id"] = id;
            condition["name"] = name;
            condition["description"] = name;
            return condition;
        }

        public static JsonObject Rule(string name, int rank, JsonObject? condition, string profile, string state = "enabled", bool isDefault = false, bool profileInsideRule = false)
        {
            var rule = new JsonObject
            {
                ["default"] = isDefault,
                ["id"] = Guid.NewGuid().ToString(),
                ["name"] = name,
                ["hitCounts"] = 0,
                ["rank"] = rank,
                ["state"] = state,
                ["condition"] = condition,
            };
            var item = new JsonObject { ["rule"] = rule, ["securityGroup"] = null, ["link"] = null };

            // Cisco's own example puts profile inside rule for some items (ISE-API.md §4.3).
            if (profileInsideRule)
            {
                rule["profile"] = new JsonArray(profile);
            }
            else
            {
                item["profile"] = new JsonArray(profile);
            }

            return item;
        }

        private static JsonObject Block(string type, JsonObject[] children) => new JsonObject
        {
            ["link"] = null,
            ["conditionType"] = type,
            ["isNegate"] = false,
            ["children"] = new JsonArray(children.Select(c => (JsonNode)c).ToArray()),
        };
    }
}
