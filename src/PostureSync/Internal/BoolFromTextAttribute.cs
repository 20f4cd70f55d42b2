using System;
using System.Management.Automation;

namespace PostureSync.Internal
{
    /// <summary>
    /// Lets a [bool] parameter bound by property name take the text "True" or "False" (any case), which is what
    /// Import-Csv and other text sources give; PowerShell itself binds only booleans and numbers to [bool].
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class BoolFromTextAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is not string text)
            {
                return inputData;
            }

            if (bool.TryParse(text.Trim(), out bool parsed))
            {
                return parsed;
            }

            throw new ArgumentTransformationMetadataException($"'{text}' is not a boolean: use True or False ($true or $false).");
        }
    }
}
