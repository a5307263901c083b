/// Turns body text into printed text: placeholders replaced by formatted values.
struct ContentResolver {
    let manifest: TemplateManifest
    let fields: FilledFields
    let metadata: ContractMetadata

    /// The styled text of `inline`; hard line breaks become `\n`.
    func resolve(_ inline: Inline) -> StyledText {
        var out = StyledText()
        for run in inline.runs {
            switch run {
            case .text(let text, let bold): out.append(text, bold: bold)
            case .placeholder(let placeholder, let bold): out.append(value(of: placeholder), bold: bold)
            case .lineBreak: out.append("\n")
            }
        }
        return out
    }

    /// What `placeholder` prints.
    func value(of placeholder: Placeholder) -> String {
        let language: ContractLanguage = switch placeholder.format {
        case .zh?, .upper?: .chinese
        case .en?: .english
        case .raw?, nil: manifest.locale.primaryLanguage
        }
        switch placeholder.name {
        case "contract.number": return metadata.number
        case "contract.date":
            if placeholder.format == .raw { return metadata.issueDate.description }
            return language == .chinese ? metadata.issueDate.chinese : metadata.issueDate.english
        case "template.id": return manifest.id
        case "template.version": return manifest.version.description
        default: break
        }
        guard let value = fields[placeholder.name] else { return "" }
        if case .empty = value { return language == .english ? "N/A" : "/" }
        switch placeholder.format {
        case .raw?: return value.canonical
        case .upper?:
            if case .money(let money) = value { return ChineseAmount.words(money.amount) ?? money.groupedAmount }
            return value.display(in: language)
        default: return value.display(in: language)
        }
    }
}
