using System;
using System.Globalization;
using System.Linq;
using System.Text;
using PostureSync.Core.Acl;
using PostureSync.Core.Config;

namespace PostureSync.Fuzz
{
    /// <summary>
    /// For the parser benchmark: the largest input each target accepts, built to be realistic and to hit the bound
    /// (a profile of 1 MB, a dACL of 5,000,000 characters, 10,000 show lists, a log and a bundle of 48 MB).
    /// </summary>
    public static class LargestInputs
    {
        public static byte[] For(string target)
        {
            switch (target)
            {
                case "profile":
                    return Profile();
                case "profile-bundle":
                    return FuzzTargets.Bundle(Profile(), null);
                case "log":
                    return Log(48 * 1024 * 1024);
                case "log-bundle":
                case "health-bundle":
                    return FuzzTargets.Bundle(Encoding.UTF8.GetBytes("<cfg xmlns=\"" + PostureProfileReader.CiscoNamespace + "\"><StateSyncProbeInterval>30</StateSyncProbeInterval><StateSyncProbeList>10.1.1.1</StateSyncProbeList></cfg>"), Log(48 * 1024 * 1024));
                case "dacl":
                    return Fill(AclParser.MaxChars, i => string.Format(CultureInfo.InvariantCulture, "permit tcp any host 10.{0}.{1}.{2} eq {3}\n", i / 65536 % 256, i / 256 % 256, i % 256, 1024 + (i % 5000)));
                case "avpair":
                    return Fill(AclParser.MaxChars, i => string.Format(CultureInfo.InvariantCulture, "ip:inacl#{0}=permit tcp any host 10.{1}.{2}.{3} eq 443\n", i + 1, i / 65536 % 256, i / 256 % 256, i % 256));
                case "show":
                    return Fill(AclParser.MaxChars, i => i % 40 == 0
                        ? "Extended IP access list xACSACLx-IP-L" + (i / 40).ToString(CultureInfo.InvariantCulture) + "-636b75ac (per-user)\n"
                        : string.Format(CultureInfo.InvariantCulture, "    {0} permit tcp any host 10.{1}.{2}.{3} eq www (12 matches)\n", (i % 40) * 10, i / 65536 % 256, i / 256 % 256, i % 256));
                default:
                    throw new ArgumentException("Unknown target '" + target + "'.", nameof(target));
            }
        }

        private static byte[] Profile()
        {
            var text = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<cfg xmlns=\"" + PostureProfileReader.CiscoNamespace + "\">\n  <StateSyncProbeInterval>30</StateSyncProbeInterval>\n  <StateSyncProbeList>10.1.1.1,10.1.1.2</StateSyncProbeList>\n");
            for (int i = 0; text.Length < PostureProfileReader.MaxProfileBytes - 200; i++)
            {
                text.Append("  <Setting").Append(i % 50).Append("><Value>").Append(i).Append("</Value></Setting").Append(i % 50).Append(">\n");
            }

            return Encoding.UTF8.GetBytes(text.Append("</cfg>\n").ToString());
        }

        /// <summary>An event-dense log: 60% of the lines are discovery, config and probe events, as on a real endpoint.</summary>
        private static byte[] Log(int bytes)
        {
            string[] lines =
            {
                "2024/02/14 00:12:18 [Information] aciseagent Function: SwiftHttpRunner::processMessage Thread Id: 0xC60 File: SwiftHttpRunner.cpp Line: 1214 Level: info :: Discovery message {0} handled\n",
                "2024/02/14 00:12:18 [Information] aciseagent Function: SwiftManager::loadXMLCfgFile Thread Id: 0xC60 File: ConfigData.cpp Line: 43 Level: info :: ISEPostureCFG.xml present. Using it for config {0}\n",
                "2024/02/14 00:12:19 [Information] aciseagent Function: PeriodicProbe::sessionSyncProbe Thread Id: 0xC60 File: PeriodicProbe.cpp Line: 88 Level: info :: Probing PSN 10.1.1.1 on port 8449 ({0})\n",
                "2024/02/14 00:12:19 [Information] aciseagent Function: Scheduler::tick Thread Id: 0xC60 File: Scheduler.cpp Line: 12 Level: debug :: Timer {0} fired\n",
                "2024/02/14 00:12:19 [Information] aciseagent Function: UIManager::showNotification Thread Id: 0xC60 File: UIManager.cpp Line: 50 Level: debug :: Notification queued id={0}\n",
            };
            return Fill(bytes, i => string.Format(CultureInfo.InvariantCulture, lines[i % lines.Length], i));
        }

        /// <summary>Lines written straight to UTF-8 (all ASCII here, so characters are bytes): one copy, within the 200 MB heap.</summary>
        private static byte[] Fill(int chars, Func<int, string> line)
        {
            var bytes = new System.IO.MemoryStream(chars);
            for (int i = 0; ; i++)
            {
                byte[] next = Encoding.UTF8.GetBytes(line(i));
                if (bytes.Length + next.Length > chars)
                {
                    break;
                }

                bytes.Write(next, 0, next.Length);
            }

            return bytes.ToArray();
        }
    }
}
