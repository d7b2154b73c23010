using TinyAutograd.Examples.Characters;

namespace TinyAutograd.Tests.Examples.Characters;

/// <summary>The character-LM building blocks: vocabulary, split, windows, bigram baseline, sampling.</summary>
public sealed class CharacterModelTests
{
    [Fact]
    public void VocabularyRoundTripsAndRefusesUnknownCharacters()
    {
        var vocabulary = new CharacterVocabulary("banana band");
        Assert.Equal(5, vocabulary.Count); // ' ', a, b, d, n
        Assert.Equal("a band", vocabulary.Decode(vocabulary.Encode("a band")));
        Assert.Equal([0, 1], vocabulary.Encode(" a"));
        var error = Assert.Throws<ArgumentException>(() => vocabulary.Encode("bandit"));
        Assert.Contains("'i'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheShippedTextSplitsIntoATrainingHeadAndAValidationTail()
    {
        var corpus = CharacterCorpus.DevilsDictionary();
        int total = corpus.Training.Length + corpus.Validation.Length;
        Assert.Equal(383_147, total);
        Assert.Equal(Math.Round(total * 0.1), corpus.Validation.Length);
        string training = corpus.Vocabulary.Decode(corpus.Training);
        Assert.StartsWith("            The Internet Wiretap 1st Online Edition", training, StringComparison.Ordinal);
        Assert.Contains("ZEUS, n.", corpus.Vocabulary.Decode(corpus.Validation), StringComparison.Ordinal);
        Assert.DoesNotContain('{', training);
    }

    [Fact]
    public void WindowsPairEachCharacterWithItsSuccessor()
    {
        int[] ids = [.. Enumerable.Range(0, 23)];
        var batch = CharacterBatch.Random(ids, 5, 4, new RandomSource(3));
        for (int i = 0; i < batch.Inputs.Length; i++)
        {
            Assert.Equal(batch.Inputs[i] + 1, batch.Targets[i]);
        }
        var consecutive = CharacterBatch.Consecutive(ids, 2, 4).ToArray();
        Assert.Equal(Enumerable.Range(1, 22), consecutive.SelectMany(b => b.Targets));
        Assert.Equal(Enumerable.Range(0, 22), consecutive.SelectMany(b => b.Inputs));
    }

    [Fact]
    public void BigramProbabilitiesAreAddOneSmoothedCounts()
    {
        // "abab a": pairs ab, ba, ab, b' ', ' 'a over the vocabulary {' ', a, b}.
        var vocabulary = new CharacterVocabulary("abab a");
        var model = new BigramModel(vocabulary.Encode("abab a"), vocabulary.Count);
        int space = 0, a = 1, b = 2;
        Assert.Equal(Math.Log(3.0 / 5), model.LogProbability(a, b), 14);  // count(a,b) = 2, count(a) = 2, V = 3
        Assert.Equal(Math.Log(1.0 / 5), model.LogProbability(a, a), 14);
        Assert.Equal(Math.Log(2.0 / 5), model.LogProbability(b, space), 14);
        Assert.Equal(Math.Log(1.0 / 4), model.LogProbability(space, space), 14); // count(' ') = 1
        for (int previous = 0; previous < 3; previous++)
        {
            Assert.Equal(1.0, model.NextLogProbabilities(previous).Sum(Math.Exp), 14);
        }
        double expectedBits = -(Math.Log2(3.0 / 5) + Math.Log2(2.0 / 5)) / 2; // "aba": a→b, b→a (count(b, a) = 1, count(b) = 2)
        Assert.Equal(expectedBits, model.BitsPerCharacter(vocabulary.Encode("aba")), 14);
    }

    [Fact]
    public void SamplingFollowsTheTemperedSoftmax()
    {
        double[] logits = [0, Math.Log(3), -1];
        Assert.Equal(1, CharacterSampler.Sample<double>(logits, 0, new RandomSource(1)));
        var random = new RandomSource(2);
        const int draws = 20_000;
        var counts = new int[3];
        for (int i = 0; i < draws; i++)
        {
            counts[CharacterSampler.Sample<double>(logits, 0.5, random)]++;
        }
        // At τ = 1/2 the weights are e^{2z}: 1, 9, e^{-2}.
        double total = 1 + 9 + Math.Exp(-2);
        Assert.InRange(counts[1] / (double)draws - 9 / total, -0.01, 0.01);
        Assert.InRange(counts[0] / (double)draws - 1 / total, -0.01, 0.01);
    }
}
