// The Media Services lab's six-task workflow and its job parameters, as the default definition.
import FoundationEssentials

public enum LabWorkflow {
    public static let displayName = "sdk-demo"
    public static let jobDisplayName = "test_Demo-Job"

    /// The lab's tasks and `${/video/...}` parameters, in the lab's order (and its strictly serial chain,
    /// getFiles → transcode → transcribe → visionDetection → thumbnail → putFiles).
    public static let definitionText = #"""
    {
      "tasks": [
        {
          "type": "getFiles", "version": 1, "key": "getFiles", "prerequisites": [],
          "parameters": {
            "taskParameters": [
              {
                "storageType": "objectStorage",
                "target": "getFiles/${/input/objectName}",
                "namespaceName": "${/input/namespaceName}",
                "bucketName": "${/input/bucketName}",
                "objectName": "${/input/objectName}"
              }
            ]
          }
        },
        {
          "type": "transcode", "version": 1, "key": "transcode", "prerequisites": ["getFiles"],
          "parameters": {
            "transcodeType": "standardTranscode",
            "standardTranscode": {
              "input": "${/getFiles/taskParameters/0/target}",
              "outputPrefix": "${/transcode/outputPrefix}",
              "videoCodec": "h264",
              "audioCodec": "aac",
              "packaging": {"packageType": "hls", "segmentLength": 6},
              "ladder": [{"size": {"height": 360, "resizeMethod": "scale"}}]
            }
          }
        },
        {
          "type": "putFiles", "version": 1, "key": "putFiles", "prerequisites": ["thumbnail"],
          "parameters": {
            "taskParameters": [
              {
                "namespaceName": "${/output/namespaceName}",
                "bucketName": "${/output/bucketName}",
                "source": "${/transcode/outputPrefix}*.m3u8",
                "objectName": "${/output/objectNamePath}${/transcode/outputPrefix}",
                "assetCompartmentId": "${/output/assetCompartmentId}",
                "registerMetadata": true
              },
              {
                "namespaceName": "${/output/namespaceName}",
                "bucketName": "${/output/bucketName}",
                "source": "master.m3u8",
                "objectName": "${/output/objectNamePath}${/transcode/outputPrefix}-master.m3u8",
                "assetCompartmentId": "${/output/assetCompartmentId}",
                "registerMetadata": true
              },
              {
                "namespaceName": "${/output/namespaceName}",
                "bucketName": "${/output/bucketName}",
                "source": "*.fmp4",
                "objectName": "${/output/objectNamePath}",
                "assetCompartmentId": "${/output/assetCompartmentId}",
                "registerMetadata": true
              },
              {
                "namespaceName": "${/output/namespaceName}",
                "bucketName": "${/output/bucketName}",
                "source": "*.${/thumbnail/thumbnails/frameSelectors/0/format}",
                "objectName": "${/output/objectNamePath}${/transcode/outputPrefix}-",
                "assetCompartmentId": "${/output/assetCompartmentId}",
                "registerMetadata": true
              }
            ]
          }
        },
        {
          "type": "transcribe", "version": 1, "key": "transcribe", "prerequisites": ["transcode"],
          "parameters": {
            "inputVideo": "${/getFiles/taskParameters/0/target}",
            "outputAudio": "${/output/basePrefix}transcribe/${/input/objectName}.wav",
            "outputTranscriptionPrefix": "${/output/basePrefix}transcribe/",
            "outputNamespaceName": "${/output/namespaceName}",
            "outputBucketName": "${/output/bucketName}",
            "transcriptionJobCompartment": "${/output/assetCompartmentId}",
            "waitForCompletion": false,
            "language": "en"
          }
        },
        {
          "type": "thumbnail", "version": 1, "key": "thumbnail", "prerequisites": ["visionDetection"],
          "parameters": {
            "thumbnails": {
              "input": "${/getFiles/taskParameters/0/target}",
              "frameSelectors": [
                {
                  "namePrefix": "thumb",
                  "format": "jpg",
                  "sizes": [{"width": 390}, {"width": 196}],
                  "clipImagePicker": {"percentList": {"pickList": [10, 20, 30]}}
                }
              ]
            }
          }
        },
        {
          "type": "visionDetection", "version": 1, "key": "visionDetection", "prerequisites": ["transcribe"],
          "parameters": {
            "inputObject": "${/getFiles/taskParameters/0/target}",
            "outputPrefix": "${/output/basePrefix}vision/",
            "minClipLen": "6s",
            "sceneSensitivity": 10,
            "sceneImageNamespace": "${/output/namespaceName}",
            "sceneImageBucket": "${/output/bucketName}",
            "visionTaskCompartmentId": "${/output/assetCompartmentId}",
            "cleanupImagesEnabled": false,
            "textDetectionLanguage": "ENG",
            "featureType": "OBJECT_DETECTION"
          }
        }
      ],
      "parameters": {
        "input": {
          "objectName": "${/video/srcVideo}",
          "bucketName": "${/video/srcBucket}",
          "namespaceName": "${/video/namespace}"
        },
        "output": {
          "basePrefix": "${/video/outputPrefixName}",
          "bucketName": "${/video/dstBucket}",
          "namespaceName": "${/video/namespace}",
          "assetCompartmentId": "${/video/compartmentID}",
          "objectNamePath": "sdk_test/${/input/objectName}/"
        },
        "transcode": {
          "outputPrefix": "${/video/outputPrefixName}"
        }
      }
    }
    """#

    public static var definition: WorkflowDefinition {
        // The literal above is fixed text; a parse failure would be a build defect caught by the tests.
        (try? WorkflowDefinition(json: JSONParser.parse(definitionText))) ?? WorkflowDefinition(unchecked: .object([]))
    }

    /// The lab's job parameters: `{"video": {...}}`.
    public static func jobParameters(sourceBucket: String, destinationBucket: String, namespace: String,
                                     compartmentID: String, sourceVideo: String, outputPrefix: String) -> JSONValue {
        ["video": ["srcBucket": .string(sourceBucket), "dstBucket": .string(destinationBucket), "namespace": .string(namespace),
                   "compartmentID": .string(compartmentID), "srcVideo": .string(sourceVideo), "outputPrefixName": .string(outputPrefix)]]
    }

    /// The object a lab job's getFiles task reads (`video.namespace`, `video.srcBucket`, `video.srcVideo`), when the
    /// parameters hold all three as non-empty strings.
    public static func sourceObject(in parameters: JSONValue) -> ObjectLocation? {
        guard let video = parameters["video"], let ns = video["namespace"]?.stringValue, let bucket = video["srcBucket"]?.stringValue,
              let object = video["srcVideo"]?.stringValue, !ns.isEmpty, !bucket.isEmpty, !object.isEmpty else { return nil }
        return ObjectLocation(namespace: ns, bucket: bucket, object: object)
    }
}
