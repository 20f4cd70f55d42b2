using Xunit;

// Several suites measure how long a network wait or a restart takes (one timeout, not one per target; Ctrl+C within a
// second). Run one class at a time so they never compete for the two cores of a CI machine; the whole run stays short.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
