import Hummingbird
import NIOCore

/// The fields of a page form with fixed field names (training, promote, train-from-dataset, pasted
/// CSV), decoded by Hummingbird's `URLEncodedFormDecoder`. A body the decoder refuses — a field
/// given twice, a bad percent escape — is a 400 that names the problem, instead of a guess.
///
/// The predict form keeps ``FormFields``: its field names are the served model's columns, and a
/// column name may contain the brackets that this decoder reads as nesting (`a[b]=1`).
struct PageForm: Sendable {
    /// Name → value.
    let values: [String: String]

    /// Decodes an `application/x-www-form-urlencoded` body.
    init(urlEncoded body: ByteBuffer) throws {
        do {
            values = try URLEncodedFormDecoder().decode([String: String].self, from: String(buffer: body))
        } catch let error as URLEncodedFormError {
            throw GatewayError.invalidInput("the form cannot be read: \(error)")
        } catch {
            throw GatewayError.invalidInput("the form cannot be read: a field is not plain text")
        }
    }

    /// The value of `name`, if the form has it.
    subscript(_ name: String) -> String? { values[name] }
}
