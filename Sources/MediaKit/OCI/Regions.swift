// Regions, realms and endpoint templates (protocols.md §2.5): one definition of each.
import FoundationEssentials

public struct RegionInfo: Equatable, Sendable {
    public let identifier: String
    public let realm: String
    public let secondLevelDomain: String
}

public enum Regions {
    public static let mediaServicesAPIVersion = "20211101"

    /// Resolves an identifier (`us-ashburn-1`) or short code (`iad`), case-insensitively.
    /// Unknown names are accepted only with `OCI_DEFAULT_REALM`-style fallback when they look like a region.
    public static func resolve(_ name: String, defaultRealm: String? = nil) throws(MediaError) -> RegionInfo {
        let n = name.trimming(.whitespaces).lowercased()
        if let known = regions[n] {
            return RegionInfo(identifier: n, realm: known.realm, secondLevelDomain: realms[known.realm] ?? "oraclecloud.com")
        }
        if let (id, info) = regions.first(where: { $0.value.short == n }) {
            return RegionInfo(identifier: id, realm: info.realm, secondLevelDomain: realms[info.realm] ?? "oraclecloud.com")
        }
        if let defaultRealm, !defaultRealm.isEmpty, isRegionShaped(n) {
            // OCI_DEFAULT_REALM holds the second-level domain to use for regions the table lacks.
            return RegionInfo(identifier: n, realm: "unknown", secondLevelDomain: defaultRealm)
        }
        throw .config("unknown region '\(name)': expected a region identifier such as us-ashburn-1 or a short code such as iad (set OCI_DEFAULT_REALM to use a region this version does not know)")
    }

    static func isRegionShaped(_ n: String) -> Bool {
        let parts = n.split(separator: "-")
        return parts.count >= 3 && Int(parts.last ?? "") != nil && n.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
    }

    /// `https://mediaservices.{region}.oci.{domain}/20211101`
    public static func mediaServicesEndpoint(_ region: RegionInfo) -> RequestURL {
        RequestURL(scheme: "https", host: "mediaservices.\(region.identifier).oci.\(region.secondLevelDomain)",
                   path: "/\(mediaServicesAPIVersion)")
    }

    /// `https://auth.{region}.{domain}` (no `oci.` label).
    public static func authEndpoint(_ region: RegionInfo) -> RequestURL {
        RequestURL(scheme: "https", host: "auth.\(region.identifier).\(region.secondLevelDomain)", path: "/")
    }

    /// `https://objectstorage.{region}.{domain}` (Object Storage has no version path and no `oci.` label).
    public static func objectStorageEndpoint(_ region: RegionInfo) -> RequestURL {
        RequestURL(scheme: "https", host: "objectstorage.\(region.identifier).\(region.secondLevelDomain)", path: "/")
    }

    /// The SDK's endpoint options (`--realm-specific-endpoint`, `--enable-dual-stack`). Media Services'
    /// template has neither a per-realm form nor a dual-stack option, so they change only Object Storage.
    public struct EndpointOptions: Sendable, Equatable {
        public var realmSpecific: Bool
        public var dualStack: Bool
        public init(realmSpecific: Bool = false, dualStack: Bool = false) {
            self.realmSpecific = realmSpecific
            self.dualStack = dualStack
        }
    }

    /// Object Storage as the SDK forms it from `https://objectstorage.{region}.{dualStack?ds.oci.:}{secondLevelDomain}`,
    /// or in oc1 with realm-specific endpoints `https://{namespaceName+Dot}objectstorage.{region}.{dualStack?ds.:}oci.customer-oci.com`
    /// (the namespace label only when the call names one).
    public static func objectStorageEndpoint(_ region: RegionInfo, options: EndpointOptions, namespace: String? = nil) -> RequestURL {
        if options.realmSpecific, region.realm == "oc1" {
            let prefix = namespace.map { "\($0)." } ?? ""
            return RequestURL(scheme: "https", host: "\(prefix)objectstorage.\(region.identifier).\(options.dualStack ? "ds." : "")oci.customer-oci.com", path: "/")
        }
        guard options.dualStack else { return objectStorageEndpoint(region) }
        return RequestURL(scheme: "https", host: "objectstorage.\(region.identifier).ds.oci.\(region.secondLevelDomain)", path: "/")
    }

    /// `--objectstorage-endpoint` / `MEDIACTL_OBJECTSTORAGE_ENDPOINT`: used as given (query dropped, no version path added).
    public static func explicitObjectStorageEndpoint(_ text: String, what: String) throws(MediaError) -> RequestURL {
        guard var url = RequestURL(text) else {
            throw .usage("\(what): '\(text)' is not an http(s) URL (expected e.g. https://objectstorage.us-ashburn-1.oraclecloud.com)")
        }
        url.query = nil
        return url
    }

    /// An explicit endpoint always wins; the API version path is appended unless already there.
    public static func explicitEndpoint(_ text: String, what: String) throws(MediaError) -> RequestURL {
        guard var url = RequestURL(text) else {
            throw .usage("\(what): '\(text)' is not an http(s) URL (expected e.g. https://mediaservices.us-ashburn-1.oci.oraclecloud.com)")
        }
        url.query = nil
        if !url.path.contains("/\(mediaServicesAPIVersion)") { url = url.appending(path: "/\(mediaServicesAPIVersion)") }
        return url
    }

    /// The Media Stream host of a channel: `https://{domainName}/20211101`. The scheme follows the Media
    /// Services endpoint's, so a local emulator reached over plain http serves its streams the same way.
    public static func streamEndpoint(domainName: String, scheme: String = "https") throws(MediaError) -> RequestURL {
        let text = domainName.contains("://") ? domainName : "\(scheme)://\(domainName)"
        return try explicitEndpoint(text, what: "channel domainName")
    }

    static let realms: [String: String] = [
        "oc1": "oraclecloud.com",
        "oc2": "oraclegovcloud.com",
        "oc3": "oraclegovcloud.com",
        "oc4": "oraclegovcloud.uk",
        "oc8": "oraclecloud8.com",
        "oc9": "oraclecloud9.com",
        "oc10": "oraclecloud10.com",
        "oc14": "oraclecloud14.com",
        "oc15": "oraclecloud15.com",
        "oc19": "oraclecloud.eu",
        "oc20": "oraclecloud20.com",
        "oc21": "oraclecloud21.com",
        "oc23": "oraclecloud23.com",
        "oc24": "oraclecloud24.com",
        "oc26": "oraclecloud26.com",
        "oc29": "oraclecloud29.com",
        "oc35": "oraclecloud35.com",
        "oc42": "oraclecloud42.com",
        "oc51": "oraclecloud51.com",
        "oc52": "oraclecloud52.com",
    ]
    /// identifier → (short code, realm)
    static let regions: [String: (short: String, realm: String)] = [
        "ap-chuncheon-1": ("yny", "oc1"),
        "ap-hyderabad-1": ("hyd", "oc1"),
        "ap-melbourne-1": ("mel", "oc1"),
        "ap-mumbai-1": ("bom", "oc1"),
        "ap-osaka-1": ("kix", "oc1"),
        "ap-seoul-1": ("icn", "oc1"),
        "ap-sydney-1": ("syd", "oc1"),
        "ap-tokyo-1": ("nrt", "oc1"),
        "ca-montreal-1": ("yul", "oc1"),
        "ca-toronto-1": ("yyz", "oc1"),
        "eu-amsterdam-1": ("ams", "oc1"),
        "eu-frankfurt-1": ("fra", "oc1"),
        "eu-zurich-1": ("zrh", "oc1"),
        "me-jeddah-1": ("jed", "oc1"),
        "me-dubai-1": ("dxb", "oc1"),
        "sa-saopaulo-1": ("gru", "oc1"),
        "uk-cardiff-1": ("cwl", "oc1"),
        "uk-london-1": ("lhr", "oc1"),
        "us-ashburn-1": ("iad", "oc1"),
        "us-phoenix-1": ("phx", "oc1"),
        "us-sanjose-1": ("sjc", "oc1"),
        "sa-vinhedo-1": ("vcp", "oc1"),
        "sa-santiago-1": ("scl", "oc1"),
        "il-jerusalem-1": ("mtz", "oc1"),
        "eu-marseille-1": ("mrs", "oc1"),
        "ap-singapore-1": ("sin", "oc1"),
        "me-abudhabi-1": ("auh", "oc1"),
        "eu-milan-1": ("lin", "oc1"),
        "eu-stockholm-1": ("arn", "oc1"),
        "af-johannesburg-1": ("jnb", "oc1"),
        "eu-paris-1": ("cdg", "oc1"),
        "mx-queretaro-1": ("qro", "oc1"),
        "eu-madrid-1": ("mad", "oc1"),
        "us-chicago-1": ("ord", "oc1"),
        "mx-monterrey-1": ("mty", "oc1"),
        "us-saltlake-2": ("aga", "oc1"),
        "sa-bogota-1": ("bog", "oc1"),
        "sa-valparaiso-1": ("vap", "oc1"),
        "ap-singapore-2": ("xsp", "oc1"),
        "me-riyadh-1": ("ruh", "oc1"),
        "ap-delhi-1": ("onm", "oc1"),
        "ap-batam-1": ("hsg", "oc1"),
        "eu-madrid-3": ("orf", "oc1"),
        "eu-turin-1": ("nrq", "oc1"),
        "ap-kulai-2": ("jbp", "oc1"),
        "af-casablanca-1": ("lej", "oc1"),
        "us-langley-1": ("lfi", "oc2"),
        "us-luke-1": ("luf", "oc2"),
        "us-gov-ashburn-1": ("ric", "oc3"),
        "us-gov-chicago-1": ("pia", "oc3"),
        "us-gov-phoenix-1": ("tus", "oc3"),
        "uk-gov-london-1": ("ltn", "oc4"),
        "uk-gov-cardiff-1": ("brs", "oc4"),
        "ap-chiyoda-1": ("nja", "oc8"),
        "ap-ibaraki-1": ("ukb", "oc8"),
        "me-dcc-muscat-1": ("mct", "oc9"),
        "me-ibri-1": ("ibr", "oc9"),
        "ap-dcc-canberra-1": ("wga", "oc10"),
        "eu-dcc-milan-1": ("bgy", "oc14"),
        "eu-dcc-milan-2": ("mxp", "oc14"),
        "eu-dcc-dublin-2": ("snn", "oc14"),
        "eu-dcc-rating-2": ("dtm", "oc14"),
        "eu-dcc-rating-1": ("dus", "oc14"),
        "eu-dcc-dublin-1": ("ork", "oc14"),
        "ap-dcc-gazipur-1": ("dac", "oc15"),
        "eu-madrid-2": ("vll", "oc19"),
        "eu-frankfurt-2": ("str", "oc19"),
        "eu-jovanovac-1": ("beg", "oc20"),
        "me-dcc-doha-1": ("doh", "oc21"),
        "me-alrayyan-1": ("vve", "oc21"),
        "us-somerset-1": ("ebb", "oc23"),
        "us-thames-1": ("ebl", "oc23"),
        "eu-dcc-zurich-1": ("avz", "oc24"),
        "eu-crissier-1": ("avf", "oc24"),
        "me-abudhabi-3": ("ahu", "oc26"),
        "me-alain-1": ("rba", "oc26"),
        "me-abudhabi-2": ("rkt", "oc29"),
        "me-abudhabi-4": ("shj", "oc29"),
        "ap-seoul-2": ("dtz", "oc35"),
        "ap-suwon-1": ("dln", "oc35"),
        "ap-chuncheon-2": ("bno", "oc35"),
        "us-ashburn-2": ("yxj", "oc42"),
        "us-newark-1": ("pgc", "oc42"),
        "eu-budapest-1": ("jsk", "oc51"),
        "sa-riodejaneiro-1": ("hnw", "oc52"),
    ]
}
