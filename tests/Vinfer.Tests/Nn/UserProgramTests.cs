using Vinfer.Modeling;
using Vinfer.Nn;
using Vinfer.Optim;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Tests.Nn;

/// <summary>The user program of docs/nn.md, run on synthetic data: it must compile, train and save.</summary>
public class UserProgramTests
{
    /// <summary>A small convolutional classifier written as one would in PyTorch (the docs/nn.md example).</summary>
    private sealed class Classifier : Module
    {
        private readonly Conv2d _conv1, _conv2;
        private readonly Linear _fc;
        private readonly Dropout _dropout;

        public Classifier(string name, RandomStream random) : base(name)
        {
            _conv1 = Register(new Conv2d(ChildName("conv1"), 1, 8, kernelSize: 3, stride: 2, random: random));
            _conv2 = Register(new Conv2d(ChildName("conv2"), 8, 16, kernelSize: 3, stride: 2, random: random));
            _dropout = Register(new Dropout(ChildName("dropout"), 0.25, random));
            _fc = Register(new Linear(ChildName("fc"), 16 * 3 * 3, 2, random: random));
        }

        public override Tensor Forward(Tensor images)
        {
            var h = _conv1.Forward(images).Relu();       // [B, 8, 7, 7]
            h = _conv2.Forward(h).Relu();                 // [B, 16, 3, 3]
            h = _dropout.Forward(Flatten.Instance.Forward(h));
            return _fc.Forward(h).LogSoftmax(-1);         // [B, 2]
        }
    }

    [Fact]
    public void TheDocumentedClassifierTrainsAndSaves()
    {
        // 15×15 images: class 1 has a bright left half, class 0 a bright right half, plus noise
        const int batch = 32;
        var images = Tensor.Zeros(batch, 1, 15, 15);
        var labels = Tensor.Zeros(batch, 2);
        var noise = new double[images.Count];
        Sample.Normal(new RandomKey(3), 0, 0.3, noise);
        for (int b = 0; b < batch; b++)
        {
            int label = b % 2;
            labels[b, label] = 1;
            for (int y = 0; y < 15; y++)
                for (int x = 0; x < 15; x++)
                    images[b, 0, y, x] = ((x < 7) == (label == 1) ? 1 : 0) + noise[(b * 15 + y) * 15 + x];
        }

        var store = new ParamStore();
        using var use = store.Use();
        var net = new Classifier("classifier", new RandomStream(seed: 1));
        var optimizer = new Adam(learningRate: 1e-2);
        double first = 0, last = 0;
        for (int step = 0; step < 60; step++)
        {
            using var scope = new TensorScope();
            var loss = -(net.Forward(images) * labels).Sum(-1).Mean();
            if (step == 0) first = loss.Item();
            last = loss.Item();
            loss.Backward();
            optimizer.Step(net.Parameters());
            net.ZeroGrad();
        }
        net.Eval();
        var predicted = net.Forward(images);
        int correct = 0;
        for (int b = 0; b < batch; b++) correct += (predicted[b, 1] > predicted[b, 0]) == (b % 2 == 1) ? 1 : 0;
        Assert.True(first > 0.5 && last < 0.1, $"loss {first} → {last}");
        Assert.Equal(batch, correct);

        string path = Path.Combine(Path.GetTempPath(), $"vinfer-nn-{Guid.NewGuid():N}.json");
        try
        {
            store.Save(path);
            var loaded = ParamStore.Load(path);
            Assert.Equal(["classifier.conv1.weight", "classifier.conv1.bias", "classifier.conv2.weight", "classifier.conv2.bias", "classifier.fc.weight", "classifier.fc.bias"], loaded.Names);
            using (loaded.Use()) Assert.Equal(predicted.ToArray(), net.Forward(images).ToArray());
        }
        finally { File.Delete(path); }
    }
}
