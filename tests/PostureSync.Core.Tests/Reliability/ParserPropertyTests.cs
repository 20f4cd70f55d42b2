using System;
using System.IO;
using System.Linq;
using System.Text;
using CsCheck;
using PostureSync.Fuzz;
using Xunit;

namespace PostureSync.Core.Tests.Reliability
{
    /// <summary>
    /// Property tests over every parser and reader: whatever bytes come in (fixtures mutated the ways the fuzzer
    /// mutates them, or text generated from the input languages' words), the only exception that may leave is
    /// PostureSyncException. Fixed seeds (CsCheck's PCG driven directly, one stream per target) so every run tries
    /// the same cases; a few thousand in all, small inputs, so the normal run stays fast. The long, large-input
    /// search is ./build.ps1 -Task Fuzz.
    /// </summary>
    public sealed class ParserPropertyTests : IDisposable
    {
        private const int SmallInput = 64 * 1024;
        private const ulong Seed = 15;

        private readonly string folder = Path.Combine(Path.GetTempPath(), "posturesync-props-" + Guid.NewGuid().ToString("N"));

        public ParserPropertyTests() => Directory.CreateDirectory(folder);

        public void Dispose() => Directory.Delete(folder, recursive: true);

        [Theory]
        [InlineData("profile", 500)]
        [InlineData("log", 500)]
        [InlineData("dacl", 500)]
        [InlineData("avpair", 300)]
        [InlineData("show", 300)]
        [InlineData("profile-bundle", 150)]
        [InlineData("log-bundle", 150)]
        [InlineData("health-bundle", 150)]
        public void MutatedFixturesGiveAResultOrAPostureSyncException(string target, int cases)
        {
            var seeds = Seeds.For(target, Path.Combine(AppContext.BaseDirectory, "Fixtures"));
            Gen<byte[]> mutated = Gen.Select(Gen.Int[0, seeds.Count - 1], Gen.Int[0, seeds.Count - 1], Gen.Int,
                (a, b, choice) => new Mutator(choice, SmallInput).Mutate(target, seeds[a], seeds[b]));

            ForEachCase(target, mutated, cases);
        }

        [Theory]
        [InlineData("profile")]
        [InlineData("log")]
        [InlineData("dacl")]
        [InlineData("avpair")]
        [InlineData("show")]
        public void TextMadeOfTheLanguagesWordsGivesAResultOrAPostureSyncException(string target)
        {
            Gen<byte[]> words = Gen.Int[0, Mutator.Tokens.Length - 1].Array[0, 60]
                .Select(picks => Encoding.UTF8.GetBytes(string.Concat(picks.Select(p => Mutator.Tokens[p]))));

            ForEachCase(target, words, 200);
        }

        [Fact]
        public void TheSavedRegressionInputsAreSeedsOfTheirTargets()
        {
            // Each defect's saved input is a seed, so every property run and every fuzz run starts from it.
            foreach (string target in new[] { "profile", "profile-bundle", "log-bundle", "dacl" })
            {
                string saved = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Fuzz", target);
                Assert.NotEmpty(Directory.GetFiles(saved));
                var seeds = Seeds.For(target, Path.Combine(AppContext.BaseDirectory, "Fixtures"));
                Assert.All(Directory.GetFiles(saved), file => Assert.Contains(seeds, s => s.SequenceEqual(File.ReadAllBytes(file))));
            }
        }

        private void ForEachCase(string target, Gen<byte[]> gen, int cases)
        {
            var pcg = new PCG((uint)target.Length, Seed + (ulong)string.Join(",", FuzzTargets.Names).IndexOf(target, StringComparison.Ordinal));
            for (int i = 0; i < cases; i++)
            {
                byte[] input = gen.Generate(pcg, null, out _);
                try
                {
                    FuzzTargets.Run(target, input, folder);
                }
                catch (PostureSyncException)
                {
                    // The one way a reader may refuse input.
                }
                catch (Exception ex)
                {
                    string copy = Path.Combine(Path.GetTempPath(), "posturesync-property-" + target + "-" + i + ".bin");
                    File.WriteAllBytes(copy, input);
                    Assert.Fail($"{target} case {i} ({input.Length} bytes, saved to {copy}) let {ex.GetType().FullName} out: {ex.Message}\n{ex.StackTrace}");
                }
            }
        }
    }
}
