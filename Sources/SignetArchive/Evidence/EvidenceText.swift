import FoundationEssentials
import SignetCrypto
import SignetTemplates

/// The report's words and layout in one locale: labels in Chinese, English or both, times in
/// the contract's clock, every value escaped as literal body text.
struct EvidenceText {
    let locale: ContractLocale
    let utcOffsetSeconds: Int
    /// Characters the fonts cannot draw, printed as `U+XXXX`.
    let unsupported: Set<UInt32>

    /// `zh`, `en` or `zh / en` by the locale.
    func label(_ zh: String, _ en: String) -> String {
        switch locale {
        case .chinese: zh
        case .english: en
        case .bilingual: zh + " " + en
        }
    }

    /// A value as literal markup.
    func value(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "—" }
        if unsupported.isEmpty { return BodyMarkup.escape(text) }
        var out = ""
        for scalar in text.unicodeScalars {
            if unsupported.contains(scalar.value) {
                out += "U+" + String(scalar.value, radix: 16, uppercase: true)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return BodyMarkup.escape(out)
    }

    /// `2026-03-01 10:00:00.123 +08:00` in the contract's clock.
    func time(_ date: Date?) -> String {
        guard let date else { return "—" }
        let iso = TimeText.iso8601(date, offsetFromUTC: utcOffsetSeconds)  // 2026-03-01T10:00:00+08:00
        let milliseconds = Int((date.timeIntervalSince1970 * 1000).rounded()) % 1000
        let fraction = "." + String(String(1000 + milliseconds).dropFirst())
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(8)) + fraction + " " + String(iso.suffix(6))
    }

    func manifestJSON(id: String, version: String) -> String {
        let title: String
        switch locale {
        case .chinese: title = #""电子合同出证报告""#
        case .english: title = #""Certificate of Completion""#
        case .bilingual: title = #"{ "zh-CN": "电子合同出证报告", "en": "Certificate of Completion" }"#
        }
        return """
            {
              "id": "\(id)",
              "version": "\(version)",
              "title": \(title),
              "locale": "\(locale.rawValue)",
              "numbering": "decimal",
              "body": "body.txt",
              "signers": [
                { "role": "platform", "label": "\(label("出证方", "Issuer"))", "signature": { "width": 190, "height": 110 } }
              ],
              "fields": []
            }

            """
    }

    /// The report's body markup.
    func body(_ record: EvidenceRecord) -> String {
        var lines: [String] = []
        func table(_ header: [String], _ widths: [Int], _ rows: [[String]]) {
            lines.append("| " + header.joined(separator: " | ") + " |")
            lines.append("|" + widths.map { String(repeating: "-", count: $0) }.joined(separator: "|") + "|")
            for row in rows { lines.append("| " + row.joined(separator: " | ") + " |") }
            lines.append("")
        }
        func keyValues(_ rows: [(String, String)]) {
            table([label("项目", "Item"), label("内容", "Value")], [2, 5], rows.map { [$0.0, $0.1] })
        }
        lines.append("# " + label("电子合同出证报告", "Certificate of Completion"))
        lines.append("")
        lines.append(":: " + label("合同编号", "Contract number") + BodyMarkup.escape(locale == .english ? " " : "：") + value(record.number))
        lines.append("")
        lines.append(label(
            "本报告由 Signet 电子合同平台根据下列合同的审计记录与签署文件生成，记载合同的来源、签署人及其身份认证方式、全部审计事件、签名证书与时间戳，并由平台电子印章签署（PAdES B-LTA）。",
            "Signet issues this report from the audit trail and the signed document of the contract below. It records where the contract came from, who signed it and how they were authenticated, every audit event up to completion, and each signature's certificate and timestamp. The platform seals it (PAdES B-LTA)."))
        lines.append("")

        lines.append("## " + label("合同信息", "Contract"))
        lines.append("")
        keyValues([
            (label("合同编号", "Contract number"), value(record.number)),
            (label("合同名称", "Title"), value(record.title)),
            (label("合同 ID", "Contract ID"), value(record.contractID)),
            (label("商户 ID", "Merchant ID"), value(record.merchantID)),
            (label("模板", "Template"), value(record.template.id + "@" + record.template.version)),
            (label("模板摘要（SHA-256）", "Template digest (SHA-256)"), value(record.template.digest)),
            (label("签发时间", "Issued at"), value(time(record.issuedAt))),
            (label("完成时间", "Completed at"), value(time(record.completedAt))),
            (label("原始文件 SHA-256", "Original render SHA-256"), value(record.originalSHA256)),
            (label("签署文件 SHA-256", "Signed PDF SHA-256"), value(record.signedSHA256)),
        ])

        lines.append("## " + label("签署人与身份认证", "Signers and authentication"))
        lines.append("")
        for signer in record.signers {
            lines.append("### " + value(signer.role) + " — " + value(signer.name.isEmpty ? signer.role : signer.name))
            lines.append("")
            var rows = [
                (label("认证方式", "Authentication"), value(signer.authentication)),
                (label("签署方式", "Signing method"), value(signer.method)),
                (label("操作者", "Actor"), value(signer.actor)),
                (label("签署时间", "Signed at"), value(time(signer.signedAt))),
                (label("IP 地址", "IP address"), value(signer.ip)),
                (label("用户代理", "User agent"), value(signer.userAgent)),
                (label("证书主题", "Certificate subject"), value(signer.certificateSubject)),
            ]
            if let serial = signer.certificateSerial { rows.append((label("证书序列号", "Certificate serial"), value(serial))) }
            rows.append((label("签名级别", "Signature level"), value(signer.signatureLevel)))
            if let consent = signer.consent { rows.append((label("签署意愿确认", "Consent"), value(consent))) }
            if let shown = signer.documentSHA256Shown { rows.append((label("签署时展示文件 SHA-256", "SHA-256 of the document shown"), value(shown))) }
            keyValues(rows)
        }

        lines.append("## " + label("签名证书与时间戳", "Signature certificates and timestamps"))
        lines.append("")
        for signature in record.signatures {
            let kind = signature.kind == "document-timestamp" ? label("文档时间戳", "Document timestamp") : label("签名", "Signature")
            lines.append("### " + kind + " #\(signature.index)" + (signature.fieldName.map { "（" + value($0) + "）" } ?? ""))
            lines.append("")
            keyValues([
                (label("证书主题", "Subject"), value(signature.subject)),
                (label("证书序列号", "Serial number"), value(signature.serialNumber)),
                (label("证书 SHA-256 指纹", "SHA-256 fingerprint"), value(signature.sha256)),
                (label("颁发者", "Issuer"), value(signature.issuer)),
                (label("时间戳时间", "Timestamp time"), value(time(signature.timestampTime))),
                (label("时间戳机构", "Timestamp authority"), value(signature.timestampAuthority)),
            ])
        }

        lines.append("## " + label("审计事件", "Audit events"))
        lines.append("")
        table([label("序号", "No."), label("时间", "Time"), label("事件", "Event"), label("操作者", "Actor"),
               label("IP 地址 / 用户代理", "IP address / user agent")], [3, 7, 8, 7, 9],
              record.events.map { event in
                  [String(event.sequence), value(time(event.occurredAt)), value(event.type), value(event.actor),
                   value(event.ip) + (event.userAgent == nil ? "" : " / " + value(event.userAgent))]
              })

        lines.append("## " + label("审计链", "Audit chain"))
        lines.append("")
        keyValues([
            (label("事件数（至合同完成）", "Events (up to completion)"), String(record.auditHead.count)),
            (label("链头哈希（SHA-256）", "Head hash (SHA-256)"), value(record.auditHead.hash)),
        ])

        lines.append("## " + label("复核方法", "How to check"))
        lines.append("")
        lines.append(label(
            "原始合同文件可由模板文件（模板摘要见上）与合同字段（fields.json）、合同编号及签发时间重新生成，所得 SHA-256 应与上文「原始文件 SHA-256」一致；`signet verify-archive` 对归档包中的每份合同正是如此复核，并核对签署文件的签名、审计链与本报告。",
            "The original can be re-rendered from the template files (whose digest is given above) and the contract's fields (fields.json), number and issue time; its SHA-256 must equal the original render SHA-256 above. `signet verify-archive` does exactly that for every contract of an archive, and checks the signed PDF's signatures, the audit chain and this report."))
        lines.append("")
        lines.append("@signatures")
        lines.append("@party platform")
        lines.append(label("出证方（平台电子印章）", "Issued and sealed by the platform"))
        lines.append("@box")
        lines.append(label("出证时间", "Issued at") + BodyMarkup.escape(locale == .english ? ": " : "：") + value(time(record.completedAt)))
        lines.append("@end")
        return lines.joined(separator: "\n") + "\n"
    }
}
