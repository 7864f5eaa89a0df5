// What an interrupted wait says (issue 18): whether Ctrl-C lands in the sleep between polls or in a status read, the
// message names what runs on at the service and how to look at it (a job: also how to stop it).
import Foundation
import MediaKit
import Testing

@Suite struct JobWaiterInterruptTests {
    static let job = "ocid1.mediaworkflowjob.oc1.iad.aaaarunning"
    static let channel = "ocid1.streamdistributionchannel.oc1.iad.aaaaupdating"
    /// A clock whose sleeps are all cut short, as a Ctrl-C does.
    static let interrupted = Clock(now: { Date() }, sleep: { _ in false })

    static func resource(_ id: String, _ state: String) -> Resource {
        Resource(json: .object([("id", .string(id)), ("lifecycleState", .string(state))]))
    }

    static func cancelledMessage(_ body: () throws(MediaError) -> Void) -> String? {
        do { try body(); return nil } catch {
            guard case let .cancelled(message) = error else { return "not cancelled: \(error)" }
            return message
        }
    }

    @Test func aJobWaitSaysTheJobRunsOnAndHowToCheckAndStopIt() {
        let expected = "interrupted while waiting for job \(Self.job): it keeps running at the service; "
            + "check it with `mediactl job get \(Self.job)`, stop it with `mediactl job delete \(Self.job)`"
        // Between polls.
        let asleep = Self.cancelledMessage { () throws(MediaError) in
            _ = try JobWaiter(clock: Self.interrupted).wait(timeout: 60, poll: { () throws(MediaError) -> Resource in Self.resource(Self.job, "IN_PROGRESS") })
        }
        #expect(asleep == expected)
        // In the first status read, before the job was seen: the id given names it.
        let reading = Self.cancelledMessage { () throws(MediaError) in
            _ = try JobWaiter().wait(id: Self.job, timeout: 60, poll: { () throws(MediaError) -> Resource in throw .cancelled("interrupted during GET /x") })
        }
        #expect(reading == expected)
        // Other failures of a status read are not dressed up as interrupts.
        do {
            _ = try JobWaiter().wait(id: Self.job, timeout: 60, poll: { () throws(MediaError) -> Resource in throw .network("reset") })
            Issue.record("expected a network error")
        } catch {
            #expect(error == .network("reset"))
        }
    }

    @Test func aStateWaitNamesTheResourceAndItsGetCommand() {
        let message = Self.cancelledMessage { () throws(MediaError) in
            _ = try JobWaiter(clock: Self.interrupted).wait(for: [.active], timeout: 60, label: "distribution channel \(Self.channel)",
                                                           kind: .channel, id: Self.channel,
                                                           poll: { () throws(MediaError) -> Resource? in Self.resource(Self.channel, "UPDATING") })
        }
        #expect(message == "interrupted while waiting for distribution channel \(Self.channel) to be ACTIVE: the operation goes on at the service; "
            + "check it with `mediactl channel get \(Self.channel)`")
        // A job waited for by state: the job text, with the states asked for.
        let job = Self.cancelledMessage { () throws(MediaError) in
            _ = try JobWaiter().wait(for: [.succeeded], timeout: 60, label: "job", kind: .job, id: Self.job,
                                     poll: { () throws(MediaError) -> Resource? in throw .cancelled("interrupted during GET /x") })
        }
        #expect(job?.hasPrefix("interrupted while waiting for job \(Self.job): it keeps running at the service;") == true, "\(job ?? "")")
        #expect(job?.hasSuffix("(waiting for SUCCEEDED)") == true, "\(job ?? "")")
    }
}
