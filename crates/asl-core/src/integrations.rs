//! Task `Resource` values: the service-integration catalogue, classification
//! of a resource string, and the acceptance rules AWS applies when a
//! definition is created.
//!
//! Evidence and decisions (ASL-REFERENCE §1.7, §9.2, R20):
//!
//! * **Catalogue** ([`CATALOGUE`]): the optimised integrations of §1.7.2 with
//!   the patterns each action allows (RR, `.sync`, `.sync:2`,
//!   `.waitForTaskToken`). Action names are matched with their documented
//!   spelling, case-sensitively (AWS case-insensitivity is unverified; a
//!   different-case match becomes a "did you mean" hint). `eks` and `batch`
//!   get no `.waitForTaskToken` (docs disagree / LocalStack wrongly allows it);
//!   `emr-serverless` `.sync` is listed for all six actions (confirmed for
//!   two). `s3:getObject`/`listObjectsV2` (ItemReader) and `s3:putObject`
//!   (ResultWriter) are Map data sources only ([`check_item_reader_resource`],
//!   [`check_result_writer_resource`]); as a Task `Resource` they are rejected
//!   (unverified).
//! * **Unknown or unsupported optimised resource** (`dynamodb:query`, unknown
//!   service, unsupported suffix, malformed ARN, non-ARN text): AWS answers
//!   `SCHEMA_VALIDATION_FAILED` "The resource provided `<arn>` is not
//!   recognized. The value is not a valid resource ARN, or the resource is not
//!   available in this region." at `/States/<s>/Resource`
//!   [C: lint invalid/localstack__services__invalid_integration_dynamodb_query.json];
//!   the same text is used for every rejection here (§1.7.3: the exact text
//!   for an unsupported suffix or unknown service is unverified).
//!   `lambda:listFunctions` is rejected (§1.7.3 label conflict).
//! * **EXPRESS** (R20, §1.3 Task): `.sync`/`.sync:2` → "Express state machine
//!   does not support '.sync' service integration" (the `.sync:2` text is
//!   unverified; we use the same); `.waitForTaskToken` → "Express state
//!   machine does not support '.waitForTaskToken' service integration " —
//!   with the observed trailing space, which yields a double space before
//!   " at `<location>`"; activity → "Express state machine does not support
//!   Activity ARN". All `SCHEMA_VALIDATION_FAILED`.
//! * **aws-sdk** (§1.7.5): any service of lower-case ASCII letters and digits
//!   (no hyphen) and any action starting with a lower-case ASCII letter
//!   followed by ASCII letters/digits is accepted; `.sync`/`.sync:2` are
//!   rejected; `.waitForTaskToken` is allowed (STANDARD only)
//!   [C: scenarios/TestBaseScenarios__test_invalid_jsonpath_ST.INVALID_JSONPATH_IN_HEARTBEATSECONDSPATH].
//!   Actions the docs list as unsupported and CLI-style service names
//!   (`states` for `sfn`, `logs` for `cloudwatchlogs`, …) are accepted with a
//!   [`ResourceNote`] (AWS behaviour unverified), so a strict profile can warn.
//! * **Lambda function ARNs** (legacy form): checked syntactically — function
//!   name `[A-Za-z0-9_-]{1,64}`, qualifier `$LATEST`, a version or an alias of
//!   the same characters; region and account are not validated (valid-labelled
//!   corpus files use `region-1`, `your-region`, empty fields). Activities: any
//!   well-formed activity ARN.
//! * **Other services' ARNs** (e.g. `arn:aws:swf:…:task:X`, accepted by the
//!   valid-labelled asl-validator fixtures and by the spec's "Resource is a
//!   URI") are accepted as [`ResourceClass::OtherArn`] with a note; AWS
//!   behaviour is unverified.
//! * **`${Placeholder}`** (CloudFormation `DefinitionSubstitutions`, DESIGN.md
//!   "typed holes"): a resource that is exactly `${Name}` is
//!   [`ResourceClass::Placeholder`]; placeholders inside an ARN
//!   (`arn:${AWS::Partition}:states:::lambda:invoke`) are replaced by a neutral
//!   token and the rest is checked, and if that rest cannot be recognised the
//!   resource is still accepted as a placeholder. Never an error by default.
//! * **History split** (§9.2): [`ResourceClass::resource_type`] /
//!   [`ResourceClass::resource`] give `lambda`/`invoke`,
//!   `sqs`/`sendMessage.waitForTaskToken`, `aws-sdk:dynamodb`/`putItem`,
//!   `states`/`startExecution.sync:2`
//!   [C: service_integrations/TestTaskServiceAwsSdk__test_dynamodb_put_get_item],
//!   [C: callbacks/TestCallback__test_start_execution_sync2].
//! * **SDK error prefixes** ([`sdk_error_prefix`], [`sdk_error_name`]): the
//!   "exception prefix" column of §1.7.5 (`dynamodb`→`DynamoDb`, `sfn`→`Sfn`,
//!   …); services outside the table get their first letter upper-cased
//!   (`sqs`→`Sqs`, `lambda`→`Lambda`), which matches every documented
//!   one-word service.

use crate::arn::{Arn, InvalidArnReason, LambdaQualifier};
use std::fmt;

/// An integration pattern, written as the resource suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IntegrationPattern {
    /// No suffix: call the service and continue.
    RequestResponse,
    /// `.sync`: run a job and wait for it.
    Sync,
    /// `.sync:2`: run a job, wait, parse its JSON output.
    Sync2,
    /// `.waitForTaskToken`: wait for a callback with the task token.
    WaitForTaskToken,
}

impl IntegrationPattern {
    /// The suffix without its dot (`None` for request-response).
    pub fn suffix(self) -> Option<&'static str> {
        match self {
            Self::RequestResponse => None,
            Self::Sync => Some("sync"),
            Self::Sync2 => Some("sync:2"),
            Self::WaitForTaskToken => Some("waitForTaskToken"),
        }
    }

    /// Parses a suffix written without its dot.
    pub fn from_suffix(s: &str) -> Option<Self> {
        match s {
            "sync" => Some(Self::Sync),
            "sync:2" => Some(Self::Sync2),
            "waitForTaskToken" => Some(Self::WaitForTaskToken),
            _ => None,
        }
    }

    /// A readable name (`request-response`, `.sync`, …).
    pub fn label(self) -> &'static str {
        match self {
            Self::RequestResponse => "request-response",
            Self::Sync => ".sync",
            Self::Sync2 => ".sync:2",
            Self::WaitForTaskToken => ".waitForTaskToken",
        }
    }
}

impl fmt::Display for IntegrationPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The state machine type, which decides the EXPRESS restrictions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum MachineType {
    /// `STANDARD` (the default).
    #[default]
    Standard,
    /// `EXPRESS`.
    Express,
}

impl MachineType {
    /// Parses `STANDARD` / `EXPRESS` (case-insensitive).
    pub fn parse(s: &str) -> Option<Self> {
        if s.eq_ignore_ascii_case("STANDARD") {
            Some(Self::Standard)
        } else if s.eq_ignore_ascii_case("EXPRESS") {
            Some(Self::Express)
        } else {
            None
        }
    }

    /// `STANDARD` or `EXPRESS`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Standard => "STANDARD",
            Self::Express => "EXPRESS",
        }
    }
}

/// Where a catalogue action may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Usage {
    /// As a Task `Resource`.
    Task,
    /// Only as a distributed Map `ItemReader.Resource`.
    ItemReader,
    /// Only as a distributed Map `ResultWriter.Resource`.
    ResultWriter,
}

/// One action of an optimised integration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionEntry {
    /// Documented spelling (`putItem`).
    pub name: &'static str,
    /// Allowed patterns (in STANDARD machines).
    pub patterns: &'static [IntegrationPattern],
    /// Where it may be used.
    pub usage: Usage,
}

impl ActionEntry {
    /// Whether `pattern` is allowed for this action.
    pub fn allows(&self, pattern: IntegrationPattern) -> bool {
        self.patterns.contains(&pattern)
    }
}

/// One optimised-integration service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceEntry {
    /// The `<service>` segment of the ARN.
    pub service: &'static str,
    /// Human name.
    pub title: &'static str,
    /// Its actions.
    pub actions: &'static [ActionEntry],
}

impl ServiceEntry {
    /// Looks up an action by exact spelling.
    pub fn action(&self, name: &str) -> Option<&'static ActionEntry> {
        self.actions.iter().find(|a| a.name == name)
    }
}

use IntegrationPattern::{RequestResponse as RR, Sync as SY, Sync2 as SY2, WaitForTaskToken as WT};

const P_RR: &[IntegrationPattern] = &[RR];
const P_RR_WT: &[IntegrationPattern] = &[RR, WT];
const P_RR_SY: &[IntegrationPattern] = &[RR, SY];
const P_RR_SY_WT: &[IntegrationPattern] = &[RR, SY, WT];
const P_ALL: &[IntegrationPattern] = &[RR, SY, SY2, WT];

const fn t(name: &'static str, patterns: &'static [IntegrationPattern]) -> ActionEntry {
    ActionEntry {
        name,
        patterns,
        usage: Usage::Task,
    }
}

const fn svc(
    service: &'static str,
    title: &'static str,
    actions: &'static [ActionEntry],
) -> ServiceEntry {
    ServiceEntry {
        service,
        title,
        actions,
    }
}

/// The optimised integrations of ASL-REFERENCE §1.7.2.
pub static CATALOGUE: &[ServiceEntry] = &[
    svc("lambda", "AWS Lambda", &[t("invoke", P_RR_WT)]),
    svc("sqs", "Amazon SQS", &[t("sendMessage", P_RR_WT)]),
    svc("sns", "Amazon SNS", &[t("publish", P_RR_WT)]),
    svc(
        "dynamodb",
        "Amazon DynamoDB",
        &[
            t("getItem", P_RR),
            t("putItem", P_RR),
            t("deleteItem", P_RR),
            t("updateItem", P_RR),
        ],
    ),
    svc("events", "Amazon EventBridge", &[t("putEvents", P_RR_WT)]),
    svc("apigateway", "Amazon API Gateway", &[t("invoke", P_RR_WT)]),
    svc(
        "states",
        "AWS Step Functions",
        &[t("startExecution", P_ALL)],
    ),
    svc("ecs", "Amazon ECS / Fargate", &[t("runTask", P_RR_SY_WT)]),
    svc("batch", "AWS Batch", &[t("submitJob", P_RR_SY)]),
    svc("glue", "AWS Glue", &[t("startJobRun", P_RR_SY)]),
    svc(
        "athena",
        "Amazon Athena",
        &[
            t("startQueryExecution", P_RR_SY),
            t("stopQueryExecution", P_RR),
            t("getQueryExecution", P_RR),
            t("getQueryResults", P_RR),
        ],
    ),
    svc(
        "codebuild",
        "AWS CodeBuild",
        &[
            t("startBuild", P_RR_SY),
            t("startBuildBatch", P_RR_SY),
            t("retryBuildBatch", P_RR_SY),
            t("stopBuild", P_RR),
            t("stopBuildBatch", P_RR),
            t("batchDeleteBuilds", P_RR),
            t("batchGetReports", P_RR),
            t("deleteBuildBatch", P_RR),
        ],
    ),
    svc(
        "databrew",
        "AWS Glue DataBrew",
        &[t("startJobRun", P_RR_SY)],
    ),
    svc(
        "elasticmapreduce",
        "Amazon EMR",
        &[
            t("createCluster", P_RR_SY),
            t("terminateCluster", P_RR_SY),
            t("addStep", P_RR_SY),
            t("setClusterTerminationProtection", P_RR),
            t("cancelStep", P_RR),
            t("modifyInstanceFleetByName", P_RR),
            t("modifyInstanceGroupByName", P_RR),
        ],
    ),
    svc(
        "emr-containers",
        "Amazon EMR on EKS",
        &[
            t("startJobRun", P_RR_SY),
            t("deleteVirtualCluster", P_RR_SY),
            t("createVirtualCluster", P_RR),
        ],
    ),
    svc(
        "emr-serverless",
        "Amazon EMR Serverless",
        &[
            t("createApplication", P_RR_SY),
            t("startApplication", P_RR_SY),
            t("stopApplication", P_RR_SY),
            t("deleteApplication", P_RR_SY),
            t("startJobRun", P_RR_SY),
            t("cancelJobRun", P_RR_SY),
        ],
    ),
    svc(
        "eks",
        "Amazon EKS",
        &[
            t("createCluster", P_RR_SY),
            t("deleteCluster", P_RR_SY),
            t("createFargateProfile", P_RR_SY),
            t("deleteFargateProfile", P_RR_SY),
            t("createNodegroup", P_RR_SY),
            t("deleteNodegroup", P_RR_SY),
            t("runJob", P_RR_SY),
            t("call", P_RR),
        ],
    ),
    svc(
        "sagemaker",
        "Amazon SageMaker",
        &[
            t("createTrainingJob", P_RR_SY),
            t("createTransformJob", P_RR_SY),
            t("createProcessingJob", P_RR_SY),
            t("createHyperParameterTuningJob", P_RR_SY),
            t("createLabelingJob", P_RR_SY),
            t("createModel", P_RR),
            t("createEndpoint", P_RR),
            t("createEndpointConfig", P_RR),
            t("updateEndpoint", P_RR),
        ],
    ),
    svc(
        "bedrock",
        "Amazon Bedrock",
        &[
            t("invokeModel", P_RR),
            t("createModelCustomizationJob", P_RR_SY),
        ],
    ),
    svc(
        "mediaconvert",
        "AWS Elemental MediaConvert",
        &[t("createJob", P_RR_SY)],
    ),
    svc("http", "HTTP Task", &[t("invoke", P_RR)]),
    svc(
        "s3",
        "Amazon S3 (distributed Map data sources)",
        &[
            ActionEntry {
                name: "getObject",
                patterns: P_RR,
                usage: Usage::ItemReader,
            },
            ActionEntry {
                name: "listObjectsV2",
                patterns: P_RR,
                usage: Usage::ItemReader,
            },
            ActionEntry {
                name: "putObject",
                patterns: P_RR,
                usage: Usage::ResultWriter,
            },
        ],
    ),
];

/// Looks up an optimised-integration service.
pub fn service(service: &str) -> Option<&'static ServiceEntry> {
    CATALOGUE.iter().find(|s| s.service == service)
}

/// Looks up `<service>:<action>` (exact spelling).
pub fn lookup(service_name: &str, action: &str) -> Option<&'static ActionEntry> {
    service(service_name).and_then(|s| s.action(action))
}

/// Which history-event family a Task with this resource produces (§1.3 Task).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaskEventFamily {
    /// `LambdaFunctionScheduled` … (legacy Lambda ARN).
    LambdaFunction,
    /// `ActivityScheduled` ….
    Activity,
    /// `TaskScheduled` … (optimised, SDK and HTTP integrations).
    Task,
}

/// What a Task `Resource` string is, syntactically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceClass {
    /// A Lambda function ARN (legacy form).
    LambdaFunction {
        /// The parsed ARN.
        arn: Arn,
    },
    /// An activity ARN.
    Activity {
        /// The parsed ARN.
        arn: Arn,
    },
    /// `arn:<p>:states:::<service>:<action>[.<suffix>]` (whether or not the
    /// catalogue lists it).
    Optimized {
        /// Service segment.
        service: String,
        /// Action without suffix.
        action: String,
        /// Pattern from the suffix.
        pattern: IntegrationPattern,
    },
    /// `arn:<p>:states:::aws-sdk:<service>:<action>[.<suffix>]`.
    AwsSdk {
        /// SDK service segment.
        service: String,
        /// API action.
        action: String,
        /// Pattern from the suffix.
        pattern: IntegrationPattern,
    },
    /// `arn:<p>:states:::http:invoke[.<suffix>]`.
    Http {
        /// Pattern from the suffix.
        pattern: IntegrationPattern,
    },
    /// A DefinitionSubstitutions placeholder: a whole-string `${Name}`, or
    /// (from [`check_task_resource`] only) a template whose placeholders hide
    /// what the resource is.
    Placeholder {
        /// The name between `${` and `}`, or the whole template.
        name: String,
    },
    /// A well-formed ARN of a kind not listed above (another service, or a
    /// Step Functions ARN that is not a task resource).
    OtherArn {
        /// The parsed ARN.
        arn: Arn,
    },
    /// Not an ARN (or a malformed one).
    Unknown {
        /// Why it could not be classified.
        reason: InvalidArnReason,
    },
}

impl ResourceClass {
    /// The history `resourceType` for `Task*` events (§9.2): `lambda`,
    /// `aws-sdk:dynamodb`, `http`; `None` for Lambda-function and activity
    /// resources (their events carry only `resource`) and unclassified ones.
    pub fn resource_type(&self) -> Option<String> {
        match self {
            ResourceClass::Optimized { service, .. } => Some(service.clone()),
            ResourceClass::AwsSdk { service, .. } => Some(format!("aws-sdk:{service}")),
            ResourceClass::Http { .. } => Some("http".into()),
            _ => None,
        }
    }

    /// The history `resource` (§9.2): the action with its suffix for
    /// integrations (`sendMessage.waitForTaskToken`), the full ARN for
    /// Lambda-function and activity resources; `None` otherwise.
    pub fn resource(&self) -> Option<String> {
        let with_suffix = |action: &str, pattern: &IntegrationPattern| match pattern.suffix() {
            Some(s) => format!("{action}.{s}"),
            None => action.to_owned(),
        };
        match self {
            ResourceClass::Optimized {
                action, pattern, ..
            }
            | ResourceClass::AwsSdk {
                action, pattern, ..
            } => Some(with_suffix(action, pattern)),
            ResourceClass::Http { pattern } => Some(with_suffix("invoke", pattern)),
            ResourceClass::LambdaFunction { arn } | ResourceClass::Activity { arn } => {
                Some(arn.to_string())
            }
            _ => None,
        }
    }

    /// The integration pattern (request-response for Lambda ARNs; activities
    /// count as request-response here — their callback is implicit).
    pub fn pattern(&self) -> Option<IntegrationPattern> {
        match self {
            ResourceClass::Optimized { pattern, .. }
            | ResourceClass::AwsSdk { pattern, .. }
            | ResourceClass::Http { pattern } => Some(*pattern),
            ResourceClass::LambdaFunction { .. } | ResourceClass::Activity { .. } => {
                Some(IntegrationPattern::RequestResponse)
            }
            _ => None,
        }
    }

    /// Which history-event family a Task with this resource emits.
    pub fn event_family(&self) -> Option<TaskEventFamily> {
        match self {
            ResourceClass::LambdaFunction { .. } => Some(TaskEventFamily::LambdaFunction),
            ResourceClass::Activity { .. } => Some(TaskEventFamily::Activity),
            ResourceClass::Optimized { .. }
            | ResourceClass::AwsSdk { .. }
            | ResourceClass::Http { .. } => Some(TaskEventFamily::Task),
            _ => None,
        }
    }
}

/// Returns the placeholder name if `s` is exactly `${Name}`.
pub fn whole_placeholder(s: &str) -> Option<&str> {
    let inner = s.strip_prefix("${")?.strip_suffix('}')?;
    (!inner.is_empty() && !inner.contains(['{', '}', '$'])).then_some(inner)
}

/// Replaces every complete `${…}` in `s` with `token`; `None` if there is
/// none.
fn substitute_placeholders(s: &str, token: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = s;
    let mut found = false;
    while let Some(start) = rest.find("${") {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push_str(&rest[..start]);
        out.push_str(token);
        rest = &rest[start + len + 1..];
        found = true;
    }
    out.push_str(rest);
    found.then_some(out)
}

/// Classifies a Task `Resource` string (syntax only; see
/// [`check_task_resource`] for acceptance).
pub fn classify_resource(resource: &str) -> ResourceClass {
    if let Some(name) = whole_placeholder(resource) {
        return ResourceClass::Placeholder {
            name: name.to_owned(),
        };
    }
    match Arn::parse(resource) {
        Err(e) => ResourceClass::Unknown { reason: e.reason },
        Ok(arn) => match arn {
            Arn::LambdaFunction { .. } => ResourceClass::LambdaFunction { arn },
            Arn::Activity { .. } => ResourceClass::Activity { arn },
            Arn::ServiceIntegration {
                service, pattern, ..
            } if service == "http" => ResourceClass::Http { pattern },
            Arn::ServiceIntegration {
                service,
                action,
                pattern,
                ..
            } => ResourceClass::Optimized {
                service,
                action,
                pattern,
            },
            Arn::AwsSdk {
                service,
                action,
                pattern,
                ..
            } => ResourceClass::AwsSdk {
                service,
                action,
                pattern,
            },
            other => ResourceClass::OtherArn { arn: other },
        },
    }
}

/// Advisory facts about an accepted resource (for `strict`-profile warnings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceNote {
    /// An ARN of another service, or a Step Functions ARN that is not a task
    /// resource; AWS acceptance unverified.
    UnrecognizedArn,
    /// An integration ARN with a region or account filled in (LocalStack uses
    /// them; AWS behaviour unverified).
    FilledRegionOrAccount,
    /// An SDK action the AWS docs list as unsupported.
    SdkActionDocumentedUnsupported,
    /// A CLI/botocore service name where the SDK integration uses another
    /// (`states` → `sfn`).
    SdkServiceAlias {
        /// The name the integration uses.
        suggestion: &'static str,
    },
    /// Placeholders were substituted; the checked parts are the literal ones.
    ContainsPlaceholders,
}

/// A resource accepted by [`check_task_resource`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceInfo {
    /// The resource as written.
    pub resource: String,
    /// Its classification (of the substituted text, if it had placeholders).
    pub class: ResourceClass,
    /// Advisory notes.
    pub notes: Vec<ResourceNote>,
}

impl ResourceInfo {
    /// History `resourceType` (see [`ResourceClass::resource_type`]).
    pub fn resource_type(&self) -> Option<String> {
        self.class.resource_type()
    }

    /// History `resource` (see [`ResourceClass::resource`]).
    pub fn resource(&self) -> Option<String> {
        self.class.resource()
    }
}

/// Why a resource is not recognised (for help text; AWS gives one message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotRecognizedReason {
    /// Not an ARN, or malformed.
    InvalidArn(InvalidArnReason),
    /// An optimised service not in the catalogue.
    UnknownService,
    /// A catalogue service without this action.
    UnknownAction {
        /// Same action with a different case, if any.
        did_you_mean: Option<&'static str>,
        /// The equivalent SDK resource, suggested for actions the optimised
        /// integration lacks.
        sdk_alternative: Option<String>,
    },
    /// The action exists but not with this pattern.
    PatternNotSupported {
        /// Patterns it supports.
        allowed: &'static [IntegrationPattern],
    },
    /// A Map data source (`s3:getObject` …) used as a Task resource.
    MapDataSourceOnly,
    /// `aws-sdk` with `.sync` / `.sync:2`.
    SdkSyncUnsupported,
    /// `aws-sdk` service or action not spelled as required.
    SdkSpelling,
    /// A Lambda function ARN with an invalid name or qualifier.
    InvalidLambdaName,
    /// A Step Functions ARN that cannot be a task resource (state machine,
    /// execution, …).
    NotATaskResource,
}

/// A resource AWS would reject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceProblem {
    /// "The resource provided … is not recognized. …"
    NotRecognized {
        /// The resource as written.
        resource: String,
        /// Why (not part of the AWS message).
        reason: NotRecognizedReason,
    },
    /// `.sync` / `.sync:2` in an EXPRESS machine.
    ExpressSync {
        /// The pattern used.
        pattern: IntegrationPattern,
    },
    /// `.waitForTaskToken` in an EXPRESS machine.
    ExpressWaitForTaskToken,
    /// An activity in an EXPRESS machine.
    ExpressActivity,
}

/// The ValidateStateMachineDefinition code of every [`ResourceProblem`].
pub const RESOURCE_PROBLEM_CODE: &str = "SCHEMA_VALIDATION_FAILED";

impl ResourceProblem {
    /// AWS's message, without location.
    pub fn message(&self) -> String {
        match self {
            ResourceProblem::NotRecognized { resource, .. } => format!(
                "The resource provided {resource} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."
            ),
            ResourceProblem::ExpressSync { .. } => {
                "Express state machine does not support '.sync' service integration".into()
            }
            ResourceProblem::ExpressWaitForTaskToken => {
                "Express state machine does not support '.waitForTaskToken' service integration "
                    .into()
            }
            ResourceProblem::ExpressActivity => {
                "Express state machine does not support Activity ARN".into()
            }
        }
    }

    /// AWS's message with its location suffix, as embedded in
    /// `InvalidDefinition` (`… at /States/<s>/Resource`).
    pub fn message_at(&self, location: &str) -> String {
        format!("{} at {location}", self.message())
    }

    /// The diagnostic code (`SCHEMA_VALIDATION_FAILED`).
    pub fn code(&self) -> &'static str {
        RESOURCE_PROBLEM_CODE
    }

    /// A hint on how to fix it, when there is one.
    pub fn help(&self) -> Option<String> {
        let ResourceProblem::NotRecognized { reason, .. } = self else {
            return Some(match self {
                ResourceProblem::ExpressActivity => {
                    "activities need a STANDARD state machine".into()
                }
                _ => "use a request-response integration or a STANDARD state machine".into(),
            });
        };
        match reason {
            NotRecognizedReason::InvalidArn(InvalidArnReason::UnknownSuffix(s)) => Some(format!(
                "'.{s}' is not an integration pattern; use .sync, .sync:2 or .waitForTaskToken"
            )),
            NotRecognizedReason::InvalidArn(_) => Some(
                "a Task Resource is a Lambda function ARN, an activity ARN, or arn:aws:states:::<service>:<action>"
                    .into(),
            ),
            NotRecognizedReason::UnknownService => {
                Some("for other services use arn:aws:states:::aws-sdk:<service>:<action>".into())
            }
            NotRecognizedReason::UnknownAction {
                did_you_mean,
                sdk_alternative,
            } => match (did_you_mean, sdk_alternative) {
                (Some(a), _) => Some(format!("did you mean '{a}'?")),
                (None, Some(sdk)) => Some(format!("use the SDK integration {sdk}")),
                _ => None,
            },
            NotRecognizedReason::PatternNotSupported { allowed } => {
                let list: Vec<&str> = allowed.iter().map(|p| p.label()).collect();
                Some(format!("this action supports: {}", list.join(", ")))
            }
            NotRecognizedReason::MapDataSourceOnly => Some(
                "this resource is only valid in a distributed Map ItemReader/ResultWriter; use aws-sdk:s3:… in a Task"
                    .into(),
            ),
            NotRecognizedReason::SdkSyncUnsupported => {
                Some("AWS SDK integrations support only request-response and .waitForTaskToken".into())
            }
            NotRecognizedReason::SdkSpelling => Some(
                "write the SDK service in lower case without hyphens and the action in camelCase (putItem)"
                    .into(),
            ),
            NotRecognizedReason::InvalidLambdaName => Some(
                "Lambda function names use letters, digits, '-' and '_' (at most 64)".into(),
            ),
            NotRecognizedReason::NotATaskResource => {
                Some("to run a state machine use arn:aws:states:::states:startExecution".into())
            }
        }
    }
}

impl fmt::Display for ResourceProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for ResourceProblem {}

fn lambda_name_ok(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn sdk_service_ok(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && s.as_bytes()[0].is_ascii_lowercase()
}

fn sdk_action_ok(s: &str) -> bool {
    s.as_bytes().first().is_some_and(u8::is_ascii_lowercase)
        && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// CLI / botocore service names that the SDK integration spells differently
/// (§1.7.5).
pub const SDK_SERVICE_ALIASES: &[(&str, &str)] = &[
    ("states", "sfn"),
    ("stepfunctions", "sfn"),
    ("logs", "cloudwatchlogs"),
    ("events", "eventbridge"),
    ("ce", "costexplorer"),
    ("dms", "databasemigration"),
    ("elbv2", "elasticloadbalancingv2"),
    ("ds", "directory"),
];

/// `(service, action)` pairs the AWS docs list as unsupported by the SDK
/// integration (2023 snapshot, §1.7.5), in resource spelling.
pub const SDK_UNSUPPORTED_ACTIONS: &[(&str, &str)] = &[
    ("lambda", "invokeAsync"),
    ("s3", "selectObjectContent"),
    ("s3control", "selectObjectContent"),
    ("kinesis", "subscribeToShard"),
    ("lexruntimev2", "startConversation"),
    ("rdsdata", "executeSql"),
    ("efs", "createTags"),
    ("elastictranscoder", "testRole"),
    ("emr", "describeJobFlows"),
    ("comprehendmedical", "detectEntities"),
    ("shield", "deleteSubscription"),
    ("iotdeviceadvisor", "listTestCases"),
    ("mediapackage", "rotateChannelCredentials"),
];

fn not_recognized(resource: &str, reason: NotRecognizedReason) -> ResourceProblem {
    ResourceProblem::NotRecognized {
        resource: resource.to_owned(),
        reason,
    }
}

/// Checks a Task `Resource` as AWS does at CreateStateMachine /
/// ValidateStateMachineDefinition time (§1.7.3, §1.7.4).
pub fn check_task_resource(
    resource: &str,
    machine_type: MachineType,
) -> Result<ResourceInfo, ResourceProblem> {
    if let Some(name) = whole_placeholder(resource) {
        return Ok(ResourceInfo {
            resource: resource.to_owned(),
            class: ResourceClass::Placeholder {
                name: name.to_owned(),
            },
            notes: vec![],
        });
    }
    if let Some(substituted) = substitute_placeholders(resource, "placeholder") {
        return match check_literal(resource, &substituted, machine_type) {
            Ok(mut info) => {
                info.notes.push(ResourceNote::ContainsPlaceholders);
                Ok(info)
            }
            Err(ResourceProblem::NotRecognized { .. }) => Ok(ResourceInfo {
                resource: resource.to_owned(),
                class: ResourceClass::Placeholder {
                    name: resource.to_owned(),
                },
                notes: vec![ResourceNote::ContainsPlaceholders],
            }),
            Err(express) => Err(express),
        };
    }
    check_literal(resource, resource, machine_type)
}

fn check_literal(
    resource: &str,
    text: &str,
    machine_type: MachineType,
) -> Result<ResourceInfo, ResourceProblem> {
    let class = classify_resource(text);
    let mut notes = Vec::new();
    let filled = Arn::parse(text)
        .map(|a| !a.region().is_empty() || !a.account().is_empty())
        .unwrap_or(false);
    match &class {
        ResourceClass::Unknown { reason } => {
            return Err(not_recognized(
                resource,
                NotRecognizedReason::InvalidArn(reason.clone()),
            ))
        }
        ResourceClass::Placeholder { .. } => {}
        ResourceClass::LambdaFunction { arn } => {
            if let Arn::LambdaFunction {
                name, qualifier, ..
            } = arn
            {
                let q_ok = match qualifier {
                    Some(LambdaQualifier::Alias(a)) => lambda_name_ok(a),
                    _ => true,
                };
                if !lambda_name_ok(name) || !q_ok {
                    return Err(not_recognized(
                        resource,
                        NotRecognizedReason::InvalidLambdaName,
                    ));
                }
            }
        }
        ResourceClass::Activity { .. } => {
            if machine_type == MachineType::Express {
                return Err(ResourceProblem::ExpressActivity);
            }
        }
        ResourceClass::OtherArn { arn } => {
            if arn.service() == "states" {
                return Err(not_recognized(
                    resource,
                    NotRecognizedReason::NotATaskResource,
                ));
            }
            notes.push(ResourceNote::UnrecognizedArn);
        }
        ResourceClass::Optimized {
            service: svc_name,
            action,
            pattern,
        } => {
            let Some(entry) = service(svc_name) else {
                return Err(not_recognized(
                    resource,
                    NotRecognizedReason::UnknownService,
                ));
            };
            let Some(act) = entry.action(action) else {
                let did_you_mean = entry
                    .actions
                    .iter()
                    .find(|a| a.name.eq_ignore_ascii_case(action) && a.usage == Usage::Task)
                    .map(|a| a.name);
                let sdk_alternative = (did_you_mean.is_none() && sdk_action_ok(action))
                    .then(|| {
                        let sdk_svc = match svc_name.as_str() {
                            "states" => "sfn",
                            "events" => "eventbridge",
                            "elasticmapreduce" => "emr",
                            other => other,
                        };
                        sdk_service_ok(sdk_svc)
                            .then(|| format!("arn:aws:states:::aws-sdk:{sdk_svc}:{action}"))
                    })
                    .flatten();
                return Err(not_recognized(
                    resource,
                    NotRecognizedReason::UnknownAction {
                        did_you_mean,
                        sdk_alternative,
                    },
                ));
            };
            if act.usage != Usage::Task {
                return Err(not_recognized(
                    resource,
                    NotRecognizedReason::MapDataSourceOnly,
                ));
            }
            if !act.allows(*pattern) {
                return Err(not_recognized(
                    resource,
                    NotRecognizedReason::PatternNotSupported {
                        allowed: act.patterns,
                    },
                ));
            }
            express_check(*pattern, machine_type)?;
            if filled {
                notes.push(ResourceNote::FilledRegionOrAccount);
            }
        }
        ResourceClass::Http { pattern } => {
            if *pattern != IntegrationPattern::RequestResponse {
                return Err(not_recognized(
                    resource,
                    NotRecognizedReason::PatternNotSupported { allowed: P_RR },
                ));
            }
            if filled {
                notes.push(ResourceNote::FilledRegionOrAccount);
            }
        }
        ResourceClass::AwsSdk {
            service: svc_name,
            action,
            pattern,
        } => {
            if !sdk_service_ok(svc_name) || !sdk_action_ok(action) {
                return Err(not_recognized(resource, NotRecognizedReason::SdkSpelling));
            }
            if matches!(
                pattern,
                IntegrationPattern::Sync | IntegrationPattern::Sync2
            ) {
                return Err(not_recognized(
                    resource,
                    NotRecognizedReason::SdkSyncUnsupported,
                ));
            }
            express_check(*pattern, machine_type)?;
            if let Some((_, suggestion)) = SDK_SERVICE_ALIASES.iter().find(|(a, _)| a == svc_name) {
                notes.push(ResourceNote::SdkServiceAlias { suggestion });
            }
            if SDK_UNSUPPORTED_ACTIONS
                .iter()
                .any(|(s, a)| s == svc_name && a == action)
            {
                notes.push(ResourceNote::SdkActionDocumentedUnsupported);
            }
            if filled {
                notes.push(ResourceNote::FilledRegionOrAccount);
            }
        }
    }
    Ok(ResourceInfo {
        resource: resource.to_owned(),
        class,
        notes,
    })
}

fn express_check(
    pattern: IntegrationPattern,
    machine_type: MachineType,
) -> Result<(), ResourceProblem> {
    if machine_type == MachineType::Standard {
        return Ok(());
    }
    match pattern {
        IntegrationPattern::Sync | IntegrationPattern::Sync2 => {
            Err(ResourceProblem::ExpressSync { pattern })
        }
        IntegrationPattern::WaitForTaskToken => Err(ResourceProblem::ExpressWaitForTaskToken),
        IntegrationPattern::RequestResponse => Ok(()),
    }
}

fn check_map_data_source(resource: &str, usage: Usage) -> Result<ResourceInfo, ResourceProblem> {
    if let Some(name) = whole_placeholder(resource) {
        return Ok(ResourceInfo {
            resource: resource.to_owned(),
            class: ResourceClass::Placeholder {
                name: name.to_owned(),
            },
            notes: vec![],
        });
    }
    let class = classify_resource(resource);
    let ok = match &class {
        ResourceClass::Optimized {
            service,
            action,
            pattern: IntegrationPattern::RequestResponse,
        } => lookup(service, action).is_some_and(|a| a.usage == usage),
        _ => false,
    };
    if ok {
        Ok(ResourceInfo {
            resource: resource.to_owned(),
            class,
            notes: vec![],
        })
    } else {
        Err(not_recognized(
            resource,
            NotRecognizedReason::UnknownService,
        ))
    }
}

/// Checks a distributed Map `ItemReader.Resource` (`s3:getObject`,
/// `s3:listObjectsV2`) [C: map/TestBaseScenarios__test_map_item_reader_base_list_objects_v2].
pub fn check_item_reader_resource(resource: &str) -> Result<ResourceInfo, ResourceProblem> {
    check_map_data_source(resource, Usage::ItemReader)
}

/// Checks a distributed Map `ResultWriter.Resource` (`s3:putObject`)
/// [C: map/TestBaseScenarios__test_map_state_result_writer].
pub fn check_result_writer_resource(resource: &str) -> Result<ResourceInfo, ResourceProblem> {
    check_map_data_source(resource, Usage::ResultWriter)
}

/// The documented "exception prefix" table for AWS SDK integration errors
/// (§1.7.5), `(service segment, prefix)`.
pub const SDK_ERROR_PREFIXES: &[(&str, &str)] = &[
    ("dynamodb", "DynamoDb"),
    ("sfn", "Sfn"),
    ("s3", "S3"),
    ("secretsmanager", "SecretsManager"),
    ("acmpca", "AcmPca"),
    ("cloudwatchlogs", "CloudWatchLogs"),
    ("eventbridge", "EventBridge"),
    ("sqs", "Sqs"),
    ("sns", "Sns"),
    ("lambda", "Lambda"),
    ("ec2", "Ec2"),
    ("iam", "Iam"),
    ("xray", "XRay"),
    ("fsx", "FSx"),
    ("memorydb", "MemoryDB"),
    ("mturk", "MTurk"),
    ("iotanalytics", "IoTAnalytics"),
    ("iotevents", "IotEvents"),
];

/// The documented exception prefix of an SDK service, if it is in the table.
pub fn sdk_exception_prefix(service: &str) -> Option<&'static str> {
    SDK_ERROR_PREFIXES
        .iter()
        .find(|(s, _)| *s == service)
        .map(|(_, p)| *p)
}

/// The error-name prefix for an SDK service: the table entry, else the
/// service with its first letter upper-cased.
pub fn sdk_error_prefix(service: &str) -> String {
    if let Some(p) = sdk_exception_prefix(service) {
        return p.to_owned();
    }
    let mut chars = service.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The error name of an SDK integration failure: `<Prefix>.<Exception>`, with
/// `Exception` appended when missing (`S3.NoSuchKeyException`); `None` for
/// the exception gives `<Prefix>.<Prefix>Exception`
/// [C: error_handling/TestAwsSdk__test_s3_no_such_key],
/// [C: error_handling/TestAwsSdk__test_dynamodb_invalid_param].
pub fn sdk_error_name(service: &str, exception: Option<&str>) -> String {
    let prefix = sdk_error_prefix(service);
    match exception {
        Some(e) if e.ends_with("Exception") => format!("{prefix}.{e}"),
        Some(e) => format!("{prefix}.{e}Exception"),
        None => format!("{prefix}.{prefix}Exception"),
    }
}

#[cfg(test)]
mod tests;
