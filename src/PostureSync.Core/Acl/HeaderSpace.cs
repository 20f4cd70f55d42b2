using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PostureSync.Core.Net;

namespace PostureSync.Core.Acl
{
    /// <summary>
    /// A set of addresses as (value, care mask): a 1 bit in the care mask must equal the value's bit, a 0 bit is free.
    /// IOS wildcards may be non-contiguous, so address sets are ternary cubes, never intervals. IPv4 addresses use the
    /// low 32 bits of <see cref="Lo"/>; a list never mixes families, so the unused high bits stay free.
    /// </summary>
    internal readonly struct Ternary
    {
        public static readonly Ternary Any = new Ternary(0, 0, 0, 0);

        public Ternary(ulong valueHi, ulong valueLo, ulong careHi, ulong careLo)
        {
            CareHi = careHi;
            CareLo = careLo;
            Hi = valueHi & careHi;
            Lo = valueLo & careLo;
        }

        public ulong Hi { get; }

        public ulong Lo { get; }

        public ulong CareHi { get; }

        public ulong CareLo { get; }

        public static Ternary Host(IPAddress address)
        {
            Split(address, out ulong hi, out ulong lo);
            return address.AddressFamily == AddressFamily.InterNetwork
                ? new Ternary(0, lo, 0, 0xFFFFFFFFUL)
                : new Ternary(hi, lo, ulong.MaxValue, ulong.MaxValue);
        }

        /// <summary>IPv4 address with an IOS wildcard (1 = don't care).</summary>
        public static Ternary FromWildcard(uint address, uint wildcard) => new Ternary(0, address, 0, ~wildcard & 0xFFFFFFFFUL);

        public static Ternary FromPrefix(IPAddress address, int length)
        {
            Split(address, out ulong hi, out ulong lo);
            if (address.AddressFamily == AddressFamily.InterNetwork)
            {
                uint mask = length == 0 ? 0u : uint.MaxValue << (32 - length);
                return new Ternary(0, lo, 0, mask);
            }

            ulong careHi = length >= 64 ? ulong.MaxValue : (length == 0 ? 0 : ulong.MaxValue << (64 - length));
            ulong careLo = length <= 64 ? 0 : (length == 128 ? ulong.MaxValue : ulong.MaxValue << (128 - length));
            return new Ternary(hi, lo, careHi, careLo);
        }

        public static void Split(IPAddress address, out ulong hi, out ulong lo)
        {
            byte[] bytes = address.GetAddressBytes();
            hi = 0;
            lo = 0;
            if (bytes.Length == 4)
            {
                lo = ((ulong)bytes[0] << 24) | ((ulong)bytes[1] << 16) | ((ulong)bytes[2] << 8) | bytes[3];
                return;
            }

            for (int i = 0; i < 8; i++)
            {
                hi = (hi << 8) | bytes[i];
                lo = (lo << 8) | bytes[i + 8];
            }
        }

        public bool Intersects(in Ternary other) =>
            ((Hi ^ other.Hi) & CareHi & other.CareHi) == 0 && ((Lo ^ other.Lo) & CareLo & other.CareLo) == 0;

        public Ternary Intersect(in Ternary other) =>
            new Ternary(Hi | other.Hi, Lo | other.Lo, CareHi | other.CareHi, CareLo | other.CareLo);

        /// <summary>True when every address of <paramref name="inner"/> is in this set.</summary>
        public bool Contains(in Ternary inner) =>
            (CareHi & ~inner.CareHi) == 0 && (CareLo & ~inner.CareLo) == 0 &&
            ((Hi ^ inner.Hi) & CareHi) == 0 && ((Lo ^ inner.Lo) & CareLo) == 0;

        public bool Contains(ulong hi, ulong lo) => ((hi ^ Hi) & CareHi) == 0 && ((lo ^ Lo) & CareLo) == 0;

        /// <summary>The member closest to a preferred address: free bits are taken from it.</summary>
        public void Pick(ulong preferredHi, ulong preferredLo, out ulong hi, out ulong lo)
        {
            hi = Hi | (preferredHi & ~CareHi);
            lo = Lo | (preferredLo & ~CareLo);
        }

        /// <summary>
        /// This set minus <paramref name="other"/> as disjoint cubes: one cube per bit that <paramref name="other"/>
        /// fixes and this set leaves free (at most 128).
        /// </summary>
        public void Subtract(in Ternary other, List<Ternary> output)
        {
            if (!Intersects(other))
            {
                output.Add(this);
                return;
            }

            ulong hi = Hi, lo = Lo, careHi = CareHi, careLo = CareLo;
            ulong extraHi = other.CareHi & ~CareHi;
            ulong extraLo = other.CareLo & ~CareLo;
            while (extraHi != 0)
            {
                ulong bit = extraHi & (~extraHi + 1);
                extraHi &= extraHi - 1;
                output.Add(new Ternary(hi | (~other.Hi & bit), lo, careHi | bit, careLo));
                hi |= other.Hi & bit;
                careHi |= bit;
            }

            while (extraLo != 0)
            {
                ulong bit = extraLo & (~extraLo + 1);
                extraLo &= extraLo - 1;
                output.Add(new Ternary(hi, lo | (~other.Lo & bit), careHi, careLo | bit));
                lo |= other.Lo & bit;
                careLo |= bit;
            }
        }

        public static string Format(ulong hi, ulong lo, bool ipv6)
        {
            if (!ipv6)
            {
                return string.Format(CultureInfo.InvariantCulture, "{0}.{1}.{2}.{3}", (lo >> 24) & 255, (lo >> 16) & 255, (lo >> 8) & 255, lo & 255);
            }

            var bytes = new byte[16];
            for (int i = 0; i < 8; i++)
            {
                bytes[7 - i] = (byte)(hi >> (8 * i));
                bytes[15 - i] = (byte)(lo >> (8 * i));
            }

            return new IPAddress(bytes).ToString();
        }
    }

    /// <summary>An inclusive integer interval; Lo &gt; Hi is empty.</summary>
    internal readonly struct Interval
    {
        public Interval(int lo, int hi)
        {
            Lo = lo;
            Hi = hi;
        }

        public int Lo { get; }

        public int Hi { get; }

        public bool IsEmpty => Lo > Hi;

        public bool Contains(int value) => value >= Lo && value <= Hi;

        public bool Contains(in Interval inner) => inner.Lo >= Lo && inner.Hi <= Hi;

        public bool Intersects(in Interval other) => Lo <= other.Hi && other.Lo <= Hi && !IsEmpty && !other.IsEmpty;

        public Interval Intersect(in Interval other) => new Interval(Lo > other.Lo ? Lo : other.Lo, Hi < other.Hi ? Hi : other.Hi);

        public int Clamp(int preferred) => preferred < Lo ? Lo : (preferred > Hi ? Hi : preferred);
    }

    /// <summary>TCP connection state as the ACL options see it: <c>established</c> matches ACK or RST set.</summary>
    internal static class ConnectionStates
    {
        /// <summary>Neither ACK nor RST: the opening SYN (and other stray packets).</summary>
        public const byte Opening = 1;

        /// <summary>ACK or RST set.</summary>
        public const byte Established = 2;

        public const byte All = Opening | Established;
    }

    /// <summary>
    /// One box of header space: protocol, source, source port, destination, destination port, connection state.
    /// For ICMP the two port fields carry the type and the code (the protocol dimension keeps them apart).
    /// </summary>
    internal readonly struct HeaderCube
    {
        public static readonly Interval AllProtocols = new Interval(0, 255);
        public static readonly Interval AllPorts = new Interval(0, 65535);

        public HeaderCube(Interval protocol, Ternary source, Interval sourcePort, Ternary destination, Interval destinationPort, byte connection)
        {
            Protocol = protocol;
            Source = source;
            SourcePort = sourcePort;
            Destination = destination;
            DestinationPort = destinationPort;
            Connection = connection;
        }

        public Interval Protocol { get; }

        public Ternary Source { get; }

        public Interval SourcePort { get; }

        public Ternary Destination { get; }

        public Interval DestinationPort { get; }

        public byte Connection { get; }

        public bool IsEmpty => Protocol.IsEmpty || SourcePort.IsEmpty || DestinationPort.IsEmpty || Connection == 0;

        public bool Intersects(in HeaderCube other) =>
            Protocol.Intersects(other.Protocol) && DestinationPort.Intersects(other.DestinationPort) &&
            Destination.Intersects(other.Destination) && SourcePort.Intersects(other.SourcePort) &&
            Source.Intersects(other.Source) && (Connection & other.Connection) != 0;

        public HeaderCube Intersect(in HeaderCube other) => new HeaderCube(
            Protocol.Intersect(other.Protocol), Source.Intersect(other.Source), SourcePort.Intersect(other.SourcePort),
            Destination.Intersect(other.Destination), DestinationPort.Intersect(other.DestinationPort), (byte)(Connection & other.Connection));

        public bool Contains(in HeaderCube inner) =>
            Protocol.Contains(inner.Protocol) && DestinationPort.Contains(inner.DestinationPort) &&
            Destination.Contains(inner.Destination) && SourcePort.Contains(inner.SourcePort) &&
            Source.Contains(inner.Source) && (inner.Connection & ~Connection) == 0;

        public bool Contains(in HeaderPoint point) =>
            Protocol.Contains(point.Protocol) && DestinationPort.Contains(point.DestinationPort) &&
            Destination.Contains(point.DestinationHi, point.DestinationLo) && SourcePort.Contains(point.SourcePort) &&
            Source.Contains(point.SourceHi, point.SourceLo) && (Connection & point.Connection) != 0;

        public HeaderCube WithConnection(byte connection) =>
            new HeaderCube(Protocol, Source, SourcePort, Destination, DestinationPort, connection);

        /// <summary>
        /// Appends this cube minus <paramref name="other"/> as disjoint cubes: peel one dimension at a time, keeping
        /// the part outside <paramref name="other"/> and narrowing to the part inside before the next dimension.
        /// </summary>
        public void Subtract(in HeaderCube other, List<HeaderCube> output, List<Ternary> scratch)
        {
            if (!Intersects(other))
            {
                output.Add(this);
                return;
            }

            Interval protocol = Protocol;
            foreach (Interval outside in Outside(protocol, other.Protocol))
            {
                output.Add(new HeaderCube(outside, Source, SourcePort, Destination, DestinationPort, Connection));
            }

            protocol = protocol.Intersect(other.Protocol);
            Interval dport = DestinationPort;
            foreach (Interval outside in Outside(dport, other.DestinationPort))
            {
                output.Add(new HeaderCube(protocol, Source, SourcePort, Destination, outside, Connection));
            }

            dport = dport.Intersect(other.DestinationPort);
            scratch.Clear();
            Destination.Subtract(other.Destination, scratch);
            foreach (Ternary piece in scratch)
            {
                output.Add(new HeaderCube(protocol, Source, SourcePort, piece, dport, Connection));
            }

            Ternary destination = Destination.Intersect(other.Destination);
            Interval sport = SourcePort;
            foreach (Interval outside in Outside(sport, other.SourcePort))
            {
                output.Add(new HeaderCube(protocol, Source, outside, destination, dport, Connection));
            }

            sport = sport.Intersect(other.SourcePort);
            scratch.Clear();
            Source.Subtract(other.Source, scratch);
            foreach (Ternary piece in scratch)
            {
                output.Add(new HeaderCube(protocol, piece, sport, destination, dport, Connection));
            }

            Ternary source = Source.Intersect(other.Source);
            byte outsideConnection = (byte)(Connection & ~other.Connection);
            if (outsideConnection != 0)
            {
                output.Add(new HeaderCube(protocol, source, sport, destination, dport, outsideConnection));
            }
        }

        /// <summary>The parts of <paramref name="whole"/> below and above <paramref name="removed"/> (they intersect).</summary>
        private static IEnumerable<Interval> Outside(Interval whole, Interval removed)
        {
            if (removed.Lo > whole.Lo)
            {
                yield return new Interval(whole.Lo, removed.Lo - 1);
            }

            if (removed.Hi < whole.Hi)
            {
                yield return new Interval(removed.Hi + 1, whole.Hi);
            }
        }
    }

    /// <summary>One concrete packet header, for counter-examples and for the shadowing check's witnesses.</summary>
    internal readonly struct HeaderPoint
    {
        public HeaderPoint(int protocol, ulong sourceHi, ulong sourceLo, int sourcePort, ulong destinationHi, ulong destinationLo, int destinationPort, byte connection)
        {
            Protocol = protocol;
            SourceHi = sourceHi;
            SourceLo = sourceLo;
            SourcePort = sourcePort;
            DestinationHi = destinationHi;
            DestinationLo = destinationLo;
            DestinationPort = destinationPort;
            Connection = connection;
        }

        public int Protocol { get; }

        public ulong SourceHi { get; }

        public ulong SourceLo { get; }

        public int SourcePort { get; }

        public ulong DestinationHi { get; }

        public ulong DestinationLo { get; }

        public int DestinationPort { get; }

        public byte Connection { get; }

        /// <summary>The member of <paramref name="cube"/> nearest to <paramref name="preferred"/>, dimension by dimension.</summary>
        public static HeaderPoint Nearest(in HeaderCube cube, in HeaderPoint preferred)
        {
            cube.Source.Pick(preferred.SourceHi, preferred.SourceLo, out ulong sHi, out ulong sLo);
            cube.Destination.Pick(preferred.DestinationHi, preferred.DestinationLo, out ulong dHi, out ulong dLo);
            byte connection = (cube.Connection & preferred.Connection) != 0 ? preferred.Connection : (byte)(cube.Connection & ConnectionStates.Opening) != 0 ? ConnectionStates.Opening : ConnectionStates.Established;
            return new HeaderPoint(cube.Protocol.Clamp(preferred.Protocol), sHi, sLo, cube.SourcePort.Clamp(preferred.SourcePort), dHi, dLo, cube.DestinationPort.Clamp(preferred.DestinationPort), connection);
        }

        public bool SameAs(in HeaderPoint other) =>
            Protocol == other.Protocol && SourceHi == other.SourceHi && SourceLo == other.SourceLo && SourcePort == other.SourcePort &&
            DestinationHi == other.DestinationHi && DestinationLo == other.DestinationLo && DestinationPort == other.DestinationPort &&
            Connection == other.Connection;

        /// <summary><c>tcp 192.0.2.1:1024 -> 10.1.1.1:8449</c>; IPv6 addresses in brackets; ICMP as type/code.</summary>
        public string Describe(bool ipv6)
        {
            string protocolName = AclTables.ProtocolName(Protocol, ipv6);
            string source = Ternary.Format(SourceHi, SourceLo, ipv6);
            string destination = Ternary.Format(DestinationHi, DestinationLo, ipv6);
            if (Protocol == AclTables.Tcp || Protocol == AclTables.Udp)
            {
                string text = protocolName + " " + EndpointText.Format(source, SourcePort) + " -> " + EndpointText.Format(destination, DestinationPort);
                return Protocol == AclTables.Tcp && Connection == ConnectionStates.Established ? text + " (ACK)" : text;
            }

            return protocolName + " " + source + " -> " + destination;
        }

    }
}
