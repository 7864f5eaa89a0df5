// The fields of a Bucket (GetBucket/CreateBucket/UpdateBucket) that BucketSummary does not carry.
import FoundationEssentials

extension BucketSummary {
    public var storageTier: String? { json["storageTier"]?.stringValue }
    public var publicAccessType: String? { json["publicAccessType"]?.stringValue }
    public var versioning: String? { json["versioning"]?.stringValue }
}
