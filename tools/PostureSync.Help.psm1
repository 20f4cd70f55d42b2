# The help compiler of the build: platyPS-layout markdown (docs/<Cmdlet>.md) to MAML (en-US/PostureSync.dll-Help.xml),
# so the build needs no platyPS. build.ps1 imports it; tests/Pester/Module.Tests.ps1 tests it directly.
Set-StrictMode -Version Latest

function Get-MarkdownSections([string[]] $Lines, [string] $Prefix) {
    $sections = [ordered]@{}
    $name = $null
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line -match '^```') { $inFence = -not $inFence }
        if (-not $inFence -and $line.StartsWith($Prefix) -and -not $line.StartsWith($Prefix + '#')) {
            $name = $line.Substring($Prefix.Length).Trim()
            $sections[$name] = [System.Collections.Generic.List[string]]::new()
            continue
        }
        if ($null -ne $name) { $sections[$name].Add($line) }
    }
    $sections
}

function ConvertTo-Paragraphs([string[]] $Lines) {
    # Blank lines end a paragraph; so does the start of a list item, which keeps lists one item to a line as platyPS does.
    $paragraphs = [System.Collections.Generic.List[string]]::new()
    $current = [System.Collections.Generic.List[string]]::new()
    foreach ($line in $Lines) {
        $isBlank = $line.Trim() -eq ''
        if (($isBlank -or $line -match '^\s*([-*+]|\d+[.)])\s') -and $current.Count) {
            $paragraphs.Add(($current -join ' ').Trim()); $current.Clear()
        }
        if (-not $isBlank) { $current.Add($line.Trim()) }
    }
    if ($current.Count) { $paragraphs.Add(($current -join ' ').Trim()) }
    , $paragraphs
}

function Split-Fences([string[]] $Lines) {
    # The text before the first code fence, every fenced block, and the text after the first block (outside fences).
    $before = [System.Collections.Generic.List[string]]::new(); $after = [System.Collections.Generic.List[string]]::new()
    $blocks = [System.Collections.Generic.List[object]]::new(); $block = $null
    foreach ($line in $Lines) {
        if ($line -match '^```') {
            if ($null -eq $block) { $block = [System.Collections.Generic.List[string]]::new() }
            else { $blocks.Add($block.ToArray()); $block = $null }
            continue
        }
        if ($null -ne $block) { $block.Add($line) }
        elseif ($blocks.Count -eq 0) { $before.Add($line) }
        else { $after.Add($line) }
    }
    [pscustomobject]@{ Before = $before.ToArray(); Blocks = $blocks.ToArray(); After = $after.ToArray() }
}

function ConvertFrom-CmdletMarkdown([string] $Path) {
    $lines = Get-Content -LiteralPath $Path
    $title = ($lines | Where-Object { $_ -match '^# ' } | Select-Object -First 1)
    if (-not $title) { throw "$Path has no '# <cmdlet>' title." }
    $name = $title.Substring(2).Trim()
    $sections = Get-MarkdownSections $lines '## '
    foreach ($required in 'SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS') {
        if (-not $sections.Contains($required)) { throw "$Path lacks the '## $required' section." }
    }
    $examples = foreach ($entry in (Get-MarkdownSections $sections['EXAMPLES'] '### ').GetEnumerator()) {
        $parts = Split-Fences $entry.Value
        if (-not $parts.Blocks) { throw "$Path, $($entry.Key): the example has no code block." }
        # Several code blocks make one code listing; text before the code leads the remarks, so none is lost.
        [pscustomobject]@{
            Title   = $entry.Key
            Code    = ($parts.Blocks | ForEach-Object { $_ -join "`n" }) -join "`n`n"
            # HTML comments (the docs test's markers) are for the page's source only.
            Remarks = ConvertTo-Paragraphs (@($parts.Before | Where-Object { $_ -notmatch '^\s*<!--.*-->\s*$' }) + '' + @($parts.After))
        }
    }
    $parameters = foreach ($entry in (Get-MarkdownSections $sections['PARAMETERS'] '### ').GetEnumerator()) {
        if ($entry.Key -eq 'CommonParameters') { continue }
        $parts = Split-Fences $entry.Value
        if (-not $parts.Blocks) { throw "$Path, parameter $($entry.Key): no yaml block." }
        # One yaml block per distinct metadata (platyPS writes a second block when, say, -Path is mandatory in one
        # set and optional in another): the first describes the parameter, each one places it in its sets' syntax.
        $variants = foreach ($block in $parts.Blocks) {
            $meta = @{}
            foreach ($yaml in $block) {
                if ($yaml -match '^([^:]+):\s*(.*)$') { $meta[$Matches[1].Trim()] = $Matches[2].Trim() }
            }
            foreach ($key in 'Type', 'Parameter Sets', 'Required', 'Position', 'Accept pipeline input') {
                if (-not $meta.ContainsKey($key)) { throw "$Path, parameter $($entry.Key): the yaml block lacks '$key'." }
            }
            [pscustomobject]@{
                Name        = $entry.Key.TrimStart('-')
                Description = ConvertTo-Paragraphs $parts.Before
                Type        = $meta['Type']
                Sets        = @($meta['Parameter Sets'] -split ',\s*' | Where-Object { $_ } | ForEach-Object { $_ -replace '\s*\(Default\)', '' })
                Aliases     = $meta['Aliases']
                Required    = $meta['Required']
                Position    = $meta['Position']
                Default     = $meta['Default value']
                Pipeline    = $meta['Accept pipeline input']
                Globbing    = $meta['Accept wildcard characters']
                Accepted    = @($meta['Accepted values'] -split ',' | ForEach-Object { $_.Trim() } | Where-Object { $_ })
                Variants    = $null
            }
        }
        $variants = @($variants)
        $variants[0].Variants = $variants
        $variants[0]
    }
    $typed = {
        param($section)
        if (-not $sections.Contains($section)) { return }
        foreach ($entry in (Get-MarkdownSections $sections[$section] '### ').GetEnumerator()) {
            [pscustomobject]@{ Name = $entry.Key; Description = ConvertTo-Paragraphs $entry.Value }
        }
    }
    [pscustomobject]@{
        Name        = $name
        Synopsis    = (ConvertTo-Paragraphs $sections['SYNOPSIS']) -join ' '
        Description = ConvertTo-Paragraphs $sections['DESCRIPTION']
        Examples    = @($examples)
        Parameters  = @($parameters)
        Inputs      = @(& $typed 'INPUTS')
        Outputs     = @(& $typed 'OUTPUTS')
        Notes       = if ($sections.Contains('NOTES')) { ConvertTo-Paragraphs $sections['NOTES'] } else { @() }
        Links       = if ($sections.Contains('RELATED LINKS')) {
            @($sections['RELATED LINKS'] | Where-Object { $_ -match '^\[(.+?)\]\((.*?)\)' } | ForEach-Object { [pscustomobject]@{ Text = $Matches[1]; Uri = $Matches[2] } })
        } else { @() }
    }
}

function Write-MamlParas([System.Xml.XmlWriter] $Writer, $Paragraphs) {
    $Writer.WriteStartElement('maml', 'description', $script:MamlNs)
    foreach ($p in @($Paragraphs)) { $Writer.WriteElementString('maml', 'para', $script:MamlNs, $p) }
    $Writer.WriteEndElement()
}

# As platyPS writes it: in the syntax, no description, the accepted values as a value group (so Get-Help shows
# -Name {A | B}) and no value for a switch; in the parameter list, the description and the value type always.
function Write-MamlParameter([System.Xml.XmlWriter] $Writer, $Parameter, [bool] $InSyntax) {
    $w = $Writer
    $isSwitch = $Parameter.Type -eq 'SwitchParameter'
    $w.WriteStartElement('command', 'parameter', $script:CommandNs)
    $w.WriteAttributeString('required', $Parameter.Required.ToLowerInvariant())
    $w.WriteAttributeString('variableLength', ($Parameter.Type -like '*`[`]').ToString().ToLowerInvariant())
    $w.WriteAttributeString('globbing', ("$($Parameter.Globbing)" -eq 'True').ToString().ToLowerInvariant())
    $w.WriteAttributeString('pipelineInput', $Parameter.Pipeline)
    $w.WriteAttributeString('position', $Parameter.Position.ToLowerInvariant())
    $w.WriteAttributeString('aliases', $(if ($Parameter.Aliases) { $Parameter.Aliases } else { 'none' }))
    $w.WriteElementString('maml', 'name', $script:MamlNs, $Parameter.Name)
    Write-MamlParas $w $(if ($InSyntax) { @() } else { $Parameter.Description })
    if ($InSyntax -and $Parameter.Accepted) {
        $w.WriteStartElement('command', 'parameterValueGroup', $script:CommandNs)
        foreach ($value in $Parameter.Accepted) {
            $w.WriteStartElement('command', 'parameterValue', $script:CommandNs)
            $w.WriteAttributeString('required', 'false'); $w.WriteAttributeString('variableLength', 'false')
            $w.WriteString($value); $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }
    if (-not ($InSyntax -and $isSwitch)) {
        $w.WriteStartElement('command', 'parameterValue', $script:CommandNs)
        $w.WriteAttributeString('required', (-not $isSwitch).ToString().ToLowerInvariant()); $w.WriteAttributeString('variableLength', 'false')
        $w.WriteString($Parameter.Type); $w.WriteEndElement()
    }
    $w.WriteStartElement('dev', 'type', $script:DevNs); $w.WriteElementString('maml', 'name', $script:MamlNs, $Parameter.Type); $w.WriteEndElement()
    $w.WriteElementString('dev', 'defaultValue', $script:DevNs, $(if ($Parameter.Default) { $Parameter.Default } else { 'None' }))
    $w.WriteEndElement()
}

function Write-MamlHelp([object[]] $Commands, [string] $Path) {
    $script:MamlNs = 'http://schemas.microsoft.com/maml/2004/10'
    $script:CommandNs = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    $script:DevNs = 'http://schemas.microsoft.com/maml/dev/2004/10'
    $settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
    $w = [System.Xml.XmlWriter]::Create($Path, $settings)
    try {
        $w.WriteStartElement('helpItems', 'http://msh'); $w.WriteAttributeString('schema', 'maml')
        foreach ($c in $Commands) {
            $w.WriteStartElement('command', 'command', $script:CommandNs)
            $w.WriteAttributeString('xmlns', 'maml', $null, $script:MamlNs)
            $w.WriteAttributeString('xmlns', 'dev', $null, $script:DevNs)
            $verb, $noun = $c.Name -split '-', 2
            $w.WriteStartElement('command', 'details', $script:CommandNs)
            $w.WriteElementString('command', 'name', $script:CommandNs, $c.Name)
            $w.WriteElementString('command', 'verb', $script:CommandNs, $verb)
            $w.WriteElementString('command', 'noun', $script:CommandNs, $noun)
            Write-MamlParas $w @($c.Synopsis)
            $w.WriteEndElement()
            Write-MamlParas $w $c.Description

            # One syntax item per named set, in order of first mention (as platyPS); (All) alone means one set.
            $sets = @($c.Parameters.Variants.Sets | Where-Object { $_ -ne '(All)' } | Select-Object -Unique)
            if (-not $sets) { $sets = @('(All)') }
            $w.WriteStartElement('command', 'syntax', $script:CommandNs)
            foreach ($set in $sets) {
                $w.WriteStartElement('command', 'syntaxItem', $script:CommandNs)
                $w.WriteElementString('maml', 'name', $script:MamlNs, $c.Name)
                foreach ($p in $c.Parameters) {
                    $variant = $p.Variants | Where-Object { $_.Sets -contains $set -or $_.Sets -contains '(All)' } | Select-Object -First 1
                    if ($variant) { Write-MamlParameter $w $variant $true }
                }
                $w.WriteEndElement()
            }
            $w.WriteEndElement()

            $w.WriteStartElement('command', 'parameters', $script:CommandNs)
            foreach ($p in $c.Parameters) { Write-MamlParameter $w $p $false }
            $w.WriteEndElement()

            foreach ($kind in @(@('inputTypes', 'inputType', $c.Inputs), @('returnValues', 'returnValue', $c.Outputs))) {
                $w.WriteStartElement('command', $kind[0], $script:CommandNs)
                foreach ($t in $kind[2]) {
                    $w.WriteStartElement('command', $kind[1], $script:CommandNs)
                    $w.WriteStartElement('dev', 'type', $script:DevNs); $w.WriteElementString('maml', 'name', $script:MamlNs, $t.Name); $w.WriteEndElement()
                    Write-MamlParas $w $t.Description
                    $w.WriteEndElement()
                }
                $w.WriteEndElement()
            }

            $w.WriteStartElement('maml', 'alertSet', $script:MamlNs); $w.WriteStartElement('maml', 'alert', $script:MamlNs)
            foreach ($p in $c.Notes) { $w.WriteElementString('maml', 'para', $script:MamlNs, $p) }
            $w.WriteEndElement(); $w.WriteEndElement()

            $w.WriteStartElement('command', 'examples', $script:CommandNs)
            foreach ($e in $c.Examples) {
                $w.WriteStartElement('command', 'example', $script:CommandNs)
                $w.WriteElementString('maml', 'title', $script:MamlNs, "-------------------------- $($e.Title) --------------------------")
                $w.WriteElementString('dev', 'code', $script:DevNs, $e.Code)
                $w.WriteStartElement('dev', 'remarks', $script:DevNs)
                foreach ($p in $e.Remarks) { $w.WriteElementString('maml', 'para', $script:MamlNs, $p) }
                # An empty last paragraph: Get-Help -Examples then leaves a blank line before the next example's title.
                $w.WriteElementString('maml', 'para', $script:MamlNs, '')
                $w.WriteEndElement(); $w.WriteEndElement()
            }
            $w.WriteEndElement()

            $w.WriteStartElement('command', 'relatedLinks', $script:CommandNs)
            foreach ($l in $c.Links) {
                $w.WriteStartElement('maml', 'navigationLink', $script:MamlNs)
                # Only an absolute http(s) address is a link Get-Help -Online can open; a page of docs/ (Foo.md) is named
                # as text, so -Online says the topic has no online version instead of calling 'Foo.md' an invalid URI.
                $online = $l.Uri -match '^https?://'
                # A cmdlet's page is named by the cmdlet (Get-Help finds it); a guide by its place in the docs folder.
                $text = if ($online -or -not $l.Uri -or $l.Text -cmatch '^[A-Z][a-z]+-[A-Z]\w+$') { $l.Text } else { "$($l.Text) (docs/$($l.Uri))" }
                $w.WriteElementString('maml', 'linkText', $script:MamlNs, $text)
                $w.WriteElementString('maml', 'uri', $script:MamlNs, $(if ($online) { $l.Uri } else { '' }))
                $w.WriteEndElement()
            }
            $w.WriteEndElement()
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }
    finally { $w.Dispose() }
}

Export-ModuleMember -Function ConvertFrom-CmdletMarkdown, Write-MamlHelp
