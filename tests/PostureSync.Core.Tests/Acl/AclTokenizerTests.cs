using System.Collections.Generic;
using System.Linq;
using PostureSync.Core.Acl;
using Xunit;

namespace PostureSync.Core.Tests.Acl
{
    public class AclTokenizerTests
    {
        [Fact]
        public void SplitsOnBlanksAndKeepsColumns()
        {
            IReadOnlyList<AclToken> tokens = AclTokenizer.Tokenize("  deny\ttcp any  host 10.1.1.1");

            Assert.Equal(new[] { "deny", "tcp", "any", "host", "10.1.1.1" }, tokens.Select(t => t.Text));
            Assert.Equal(new[] { 3, 8, 12, 17, 22 }, tokens.Select(t => t.Column));
        }

        [Fact]
        public void CommaIsATokenOfItsOwn()
        {
            IReadOnlyList<AclToken> tokens = AclTokenizer.Tokenize("deny 192.168.1.0, wildcard bits 0.0.0.255");

            Assert.Equal(new[] { "deny", "192.168.1.0", ",", "wildcard", "bits", "0.0.0.255" }, tokens.Select(t => t.Text));
            Assert.Equal(17, tokens[2].Column);
        }

        [Fact]
        public void EmptyAndBlankLinesGiveNoTokens()
        {
            Assert.Empty(AclTokenizer.Tokenize(string.Empty));
            Assert.Empty(AclTokenizer.Tokenize(" \t \r"));
        }

        [Fact]
        public void PrintableEscapesControlCharactersAndCutsLongTokens()
        {
            Assert.Equal("a\\x01b", AclTokenizer.Printable("a\u0001b"));
            string shown = AclTokenizer.Printable(new string('x', 100));
            Assert.EndsWith("...", shown);
            Assert.True(shown.Length < 50);
        }
    }
}
