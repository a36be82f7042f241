using Akka.Actor;

namespace Actors;

/// <summary>
/// Props that build their actor by calling a factory. <c>Props.Create(() =&gt; new …)</c> parses its
/// expression tree and compiles every argument into a delegate each time it is called: per
/// connection, transport and consumer, that compilation (and the JIT of its delegates) was 7 % of
/// the server's CPU under signaling load.
/// </summary>
public static class FactoryProps
{
    public static Props Of<TActor>(Func<TActor> factory) where TActor : ActorBase =>
        Props.CreateBy(new Producer<TActor>(factory));

    private sealed class Producer<TActor>(Func<TActor> factory) : IIndirectActorProducer where TActor : ActorBase
    {
        public Type ActorType => typeof(TActor);

        public ActorBase Produce() => factory();

        public void Release(ActorBase actor)
        {
        }
    }
}
