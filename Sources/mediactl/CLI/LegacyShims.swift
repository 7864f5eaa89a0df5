// TEMPORARY: the run-side calls of commands not yet moved to typed options (`CommandSpec.verb`).
// Each forwards to CommandContext; this file goes when the last command is converted.
import MediaKit

extension Invocation {
    private var ctx: CommandContext { (try? context) ?? { fatalError("the context was not built") }() }

    func render(_ resource: Resource, kind: ResourceKind) { ctx.render(resource, kind: kind) }
    func render(list resources: [Resource], kind: ResourceKind, nextPage: String?) { ctx.render(list: resources, kind: kind, nextPage: nextPage) }
    func render(named results: [(String, Resource)]) { ctx.render(named: results) }
    func renderVideo(_ object: OpenTokObject, noun: String) { ctx.renderVideo(object, noun: noun) }
    func renderVideo(page items: [OpenTokObject], count: Int, offset: Int, noun: String, columns: (OpenTokObject) -> [String]) {
        ctx.renderVideo(page: items, count: count, offset: offset, noun: noun, columns: columns)
    }
    func renderDone(_ message: String, id: String, record: [(String, JSONValue)]) { ctx.renderDone(message, id: id, record: record) }
    func creating<T>(_ created: inout [(String, String)], retryToken: String, _ body: () throws(MediaError) -> T) throws(MediaError) -> T {
        try ctx.creating(&created, retryToken: retryToken, body)
    }
    func creating<T>(_ created: inout [(String, String)], _ body: () throws(MediaError) -> T) throws(MediaError) -> T { try ctx.creating(&created, body) }
    func creating<T>(retryToken: String, _ body: () throws(MediaError) -> T) throws(MediaError) -> T { try ctx.creating(retryToken: retryToken, body) }
    func waitForJob(_ client: MediaServicesClient, id: String, timeout: Double, label: String) throws(MediaError) -> Resource {
        try ctx.waitForJob(client, id: id, timeout: timeout, label: label)
    }
    static func answerMayBeLost(_ error: MediaError) -> Bool { CommandContext.answerMayBeLost(error) }
    static func retryHint(_ token: String) -> String { CommandContext.retryHint(token) }
    static func text(_ r: Resource, kind: ResourceKind) -> String { CommandContext.text(r, kind: kind) }
}
