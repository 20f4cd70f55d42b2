using System;
using System.Management.Automation;

namespace PostureSync.Internal
{
    /// <summary>
    /// Lets a nullable parameter bound by property name take an empty or blank text as "not given": a CSV row
    /// (Import-Csv) has "" where the object it was made from had null.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class EmptyAsNullAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            return value is string text && text.Trim().Length == 0 ? null : inputData;
        }
    }
}
