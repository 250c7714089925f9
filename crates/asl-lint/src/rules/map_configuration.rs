use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::rules::semantic_helpers::{
    a_type, check_enum, check_integer, child, index, is_jsonata_node, report_unknown_keys,
    required_message,
};
use asl_core::json::{Member, Node};
use asl_core::model::{QueryLanguage, StateType};

declare_rule! {
    /// A Map state's processor, reader, batcher or writer configuration is
    /// malformed, or uses Distributed Map fields in an inline Map.
    ///
    /// * `ProcessorConfig` has only `Mode` (`INLINE` or `DISTRIBUTED`) and
    ///   `ExecutionType` (`STANDARD` or `EXPRESS`), and a `DISTRIBUTED`
    ///   processor needs `ExecutionType`.
    /// * `ItemReader`, `ItemBatcher`, `ResultWriter` and `Label` belong to a
    ///   Distributed Map: they are reported when `Mode` is explicitly `INLINE`.
    /// * `ItemReader` is `{Resource, Parameters|Arguments, ReaderConfig}`;
    ///   `ReaderConfig` takes `InputType` (`CSV`, `JSON`, `JSONL`, `PARQUET`,
    ///   `MANIFEST`), `Transformation`, `ManifestType`, `CSVDelimiter`,
    ///   `CSVHeaderLocation` (`FIRST_ROW`, `GIVEN` + `CSVHeaders`),
    ///   `ItemsPointer`, and one of `MaxItems` (0 to 100,000,000; 0 fails at run time) or
    ///   `MaxItemsPath`.
    /// * `ItemBatcher` takes one of `MaxItemsPerBatch`/`…Path` and one of
    ///   `MaxInputBytesPerBatch`/`…Path` (at most 256 KiB), plus `BatchInput`.
    /// * `ResultWriter` needs `WriterConfig`, or `Resource` with
    ///   `Parameters`/`Arguments`, or all of them; `WriterConfig` takes
    ///   `OutputType` (`JSON`, `JSONL`) and `Transformation` (`NONE`,
    ///   `COMPACT`, `FLATTEN`).
    ///
    /// `Parameters` inside these objects is JSONPath-only, `Arguments`
    /// JSONata-only, and the `…Path` fields are JSONPath-only.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
    ///   "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"},
    ///     "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}}
    /// ```
    /// Say how child workflows run:
    /// ```json
    /// {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
    ///   "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
    ///     "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}}
    /// ```
    pub MapConfiguration {
        code: "ASL-S014",
        slug: "map-configuration",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

const DISTRIBUTED_ONLY: [&str; 4] = ["ItemReader", "ItemBatcher", "ResultWriter", "Label"];

const MAX_ITEMS_LIMIT: i128 = 100_000_000;
const MAX_BATCH_BYTES: i128 = 262_144;

impl Rule for MapConfiguration {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for s in &ctx.states {
            if s.state.state_type != Some(StateType::Map) {
                continue;
            }
            let c = Check {
                out,
                ql: s.state.query_language,
            };
            let mut c = c;
            c.map(s.node, &s.state.pointer);
        }
    }
}

struct Check<'o> {
    out: &'o mut Findings,
    ql: QueryLanguage,
}

impl Check<'_> {
    fn report(&mut self, node: &Node, pointer: &str, message: impl Into<String>) {
        self.out
            .report(&MapConfiguration::META, node.span, pointer, message);
    }

    fn report_key(&mut self, member: &Member, pointer: &str, message: impl Into<String>) {
        self.out.report(
            &MapConfiguration::META,
            member.key_span,
            child(pointer, &member.key),
            message,
        );
    }

    fn unknown(&mut self, object: &Node, pointer: &str, known: &[&str], what: &str) {
        report_unknown_keys(
            &MapConfiguration::META,
            self.out,
            object,
            pointer,
            known,
            what,
        );
    }

    /// The object at `key` of `parent`, reporting a non-object.
    fn object<'n>(&mut self, parent: &'n Node, pointer: &str, key: &str) -> Option<&'n Node> {
        let node = parent.field(key)?;
        if node.as_object().is_none() {
            self.report(
                node,
                &child(pointer, key),
                format!("The field '{key}' must be an object, not {}", a_type(node)),
            );
            return None;
        }
        Some(node)
    }

    fn map(&mut self, map: &Node, pointer: &str) {
        let processor_key = if map.get("ItemProcessor").is_some() {
            "ItemProcessor"
        } else {
            "Iterator"
        };
        let mut explicit_inline = false;
        if let Some(processor) = map.field(processor_key).filter(|p| p.as_object().is_some()) {
            let at = child(pointer, processor_key);
            if let Some(config) = self.object(processor, &at, "ProcessorConfig") {
                explicit_inline = self.processor_config(config, &child(&at, "ProcessorConfig"));
            }
        }
        if explicit_inline {
            for member in map.as_object().unwrap_or_default() {
                if DISTRIBUTED_ONLY.contains(&member.key.as_str()) {
                    self.report_key(
                        member,
                        pointer,
                        format!(
                            "`{}` belongs to a Distributed Map, but this Map's ProcessorConfig says \"Mode\": \"INLINE\": set it to \"DISTRIBUTED\" (with an ExecutionType), or remove `{}`",
                            member.key, member.key
                        ),
                    );
                }
            }
        }
        if let Some(reader) = self.object(map, pointer, "ItemReader") {
            self.item_reader(reader, &child(pointer, "ItemReader"));
        }
        if let Some(batcher) = self.object(map, pointer, "ItemBatcher") {
            self.item_batcher(batcher, &child(pointer, "ItemBatcher"));
        }
        if let Some(writer) = self.object(map, pointer, "ResultWriter") {
            self.result_writer(writer, &child(pointer, "ResultWriter"));
        }
    }

    /// Checks `ProcessorConfig`; returns whether it explicitly says INLINE.
    fn processor_config(&mut self, config: &Node, pointer: &str) -> bool {
        self.unknown(
            config,
            pointer,
            &["Mode", "ExecutionType"],
            "ProcessorConfig",
        );
        let mode = config.field("Mode");
        if let Some(mode) = mode {
            if let Some(m) = check_enum("Mode", mode, &["INLINE", "DISTRIBUTED"]) {
                self.report(mode, &child(pointer, "Mode"), m);
            }
        }
        let execution_type = config.field("ExecutionType");
        if let Some(t) = execution_type {
            if let Some(m) = check_enum("ExecutionType", t, &["STANDARD", "EXPRESS"]) {
                self.report(t, &child(pointer, "ExecutionType"), m);
            }
        }
        let mode = mode.and_then(Node::as_str);
        if mode == Some("DISTRIBUTED") && execution_type.is_none() {
            self.report(
                config,
                pointer,
                format!(
                    "{}: a DISTRIBUTED Map runs child workflows, add \"ExecutionType\": \"STANDARD\" or \"EXPRESS\"",
                    required_message(&["ExecutionType"])
                ),
            );
        }
        mode == Some("INLINE")
    }

    /// `Parameters` is JSONPath-only and `Arguments` JSONata-only inside
    /// ItemReader/ResultWriter.
    fn payload_field(&mut self, object: &Node, pointer: &str) {
        let (wrong, right) = match self.ql {
            QueryLanguage::JsonPath => ("Arguments", "Parameters"),
            QueryLanguage::Jsonata => ("Parameters", "Arguments"),
        };
        if let Some(member) = object.get(wrong) {
            let ql = self.ql.as_str();
            self.report_key(
                member,
                pointer,
                format!("Field '{wrong}' is not supported in a {ql} state: use `{right}`"),
            );
        }
    }

    /// A `…Path` field in a JSONata state, or both a value and its `…Path`.
    fn value_or_path(&mut self, object: &Node, pointer: &str, key: &str) {
        let path_key = format!("{key}Path");
        let Some(path) = object.get(&path_key) else {
            return;
        };
        if self.ql == QueryLanguage::Jsonata {
            self.report_key(
                path,
                pointer,
                format!("Field '{path_key}' is JSONPath-only: in a JSONata state write `{key}` with a `{{% … %}}` expression"),
            );
        } else if object.get(key).is_some() {
            self.report_key(
                path,
                pointer,
                format!("`{key}` and `{path_key}` cannot both be set: keep one"),
            );
        } else if path.value.as_str().is_none() {
            self.report(
                &path.value,
                &child(pointer, &path_key),
                format!(
                    "The field '{path_key}' must be a path string, not {}",
                    a_type(&path.value)
                ),
            );
        }
    }

    /// An integer field that JSONata states may also give as `{% … %}`.
    fn count(&mut self, object: &Node, pointer: &str, key: &str, min: i128, max: Option<i128>) {
        let Some(value) = object.field(key) else {
            return;
        };
        if self.ql == QueryLanguage::Jsonata && is_jsonata_node(value) {
            return;
        }
        if let Some(m) = check_integer(key, value, min, max) {
            self.report(value, &child(pointer, key), m);
        }
    }

    fn enum_field(&mut self, object: &Node, pointer: &str, key: &str, values: &[&str]) {
        if let Some(value) = object.field(key) {
            if let Some(m) = check_enum(key, value, values) {
                self.report(value, &child(pointer, key), m);
            }
        }
    }

    fn resource(&mut self, object: &Node, pointer: &str) {
        if let Some(r) = object.field("Resource") {
            if r.as_str().is_none() {
                self.report(
                    r,
                    &child(pointer, "Resource"),
                    format!(
                        "The field 'Resource' must be an ARN string, not {}",
                        a_type(r)
                    ),
                );
            }
        }
    }

    fn item_reader(&mut self, reader: &Node, pointer: &str) {
        self.unknown(
            reader,
            pointer,
            &["Resource", "Parameters", "Arguments", "ReaderConfig"],
            "ItemReader",
        );
        self.payload_field(reader, pointer);
        if reader.get("Resource").is_none() {
            self.report(
                reader,
                pointer,
                format!(
                    "{}: an ItemReader names the S3 action that reads the items, e.g. `arn:aws:states:::s3:getObject`",
                    required_message(&["Resource"])
                ),
            );
        }
        self.resource(reader, pointer);
        let Some(config) = self.object(reader, pointer, "ReaderConfig") else {
            return;
        };
        let at = child(pointer, "ReaderConfig");
        self.unknown(
            config,
            &at,
            &[
                "InputType",
                "Transformation",
                "ManifestType",
                "CSVDelimiter",
                "CSVHeaderLocation",
                "CSVHeaders",
                "ItemsPointer",
                "MaxItems",
                "MaxItemsPath",
            ],
            "ReaderConfig",
        );
        self.enum_field(
            config,
            &at,
            "InputType",
            &["CSV", "JSON", "JSONL", "PARQUET", "MANIFEST"],
        );
        self.enum_field(config, &at, "Transformation", &["NONE", "LOAD_AND_FLATTEN"]);
        self.enum_field(
            config,
            &at,
            "ManifestType",
            &["ATHENA_DATA", "S3_INVENTORY"],
        );
        self.enum_field(
            config,
            &at,
            "CSVDelimiter",
            &["COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"],
        );
        self.enum_field(config, &at, "CSVHeaderLocation", &["FIRST_ROW", "GIVEN"]);
        // 0 is accepted at definition time and fails when the Map runs
        // ("field MaxItems must be positive", States.ItemReaderFailed —
        // recorded: map/TestBaseScenarios__test_map_item_reader_csv_max_items_0).
        self.count(config, &at, "MaxItems", 0, Some(MAX_ITEMS_LIMIT));
        self.value_or_path(config, &at, "MaxItems");
        if let Some(headers) = config.field("CSVHeaders").and_then(Node::as_array) {
            let headers_at = child(&at, "CSVHeaders");
            for (i, h) in headers.iter().enumerate() {
                if h.as_str().is_none() {
                    self.report(
                        h,
                        &index(&headers_at, i),
                        format!("CSV headers are strings, not {}", a_type(h)),
                    );
                }
            }
        }
        if config.field("CSVHeaderLocation").and_then(Node::as_str) == Some("GIVEN")
            && config.get("CSVHeaders").is_none()
        {
            self.report(
                config,
                &at,
                format!(
                    "{}: with \"CSVHeaderLocation\": \"GIVEN\" the column names are listed in `CSVHeaders`",
                    required_message(&["CSVHeaders"])
                ),
            );
        }
    }

    fn item_batcher(&mut self, batcher: &Node, pointer: &str) {
        self.unknown(
            batcher,
            pointer,
            &[
                "MaxItemsPerBatch",
                "MaxItemsPerBatchPath",
                "MaxInputBytesPerBatch",
                "MaxInputBytesPerBatchPath",
                "BatchInput",
            ],
            "ItemBatcher",
        );
        self.count(batcher, pointer, "MaxItemsPerBatch", 1, None);
        self.value_or_path(batcher, pointer, "MaxItemsPerBatch");
        self.count(
            batcher,
            pointer,
            "MaxInputBytesPerBatch",
            1,
            Some(MAX_BATCH_BYTES),
        );
        self.value_or_path(batcher, pointer, "MaxInputBytesPerBatch");
        if let Some(input) = batcher.field("BatchInput") {
            let ok = input.as_object().is_some()
                || (self.ql == QueryLanguage::Jsonata && is_jsonata_node(input));
            if !ok {
                self.report(
                    input,
                    &child(pointer, "BatchInput"),
                    format!(
                        "The field 'BatchInput' must be an object, not {}",
                        a_type(input)
                    ),
                );
            }
        }
    }

    fn result_writer(&mut self, writer: &Node, pointer: &str) {
        self.unknown(
            writer,
            pointer,
            &["Resource", "Parameters", "Arguments", "WriterConfig"],
            "ResultWriter",
        );
        self.payload_field(writer, pointer);
        self.resource(writer, pointer);
        let has = |k: &str| writer.get(k).is_some();
        let payload = has("Parameters") || has("Arguments");
        if !has("WriterConfig") && !has("Resource") && !payload {
            self.report(
                writer,
                pointer,
                "ResultWriter cannot be empty: give `WriterConfig`, or `Resource` with `Parameters`/`Arguments` (the S3 location), or all of them",
            );
        } else if has("Resource") != payload {
            let missing = if payload { "Resource" } else { "Parameters" };
            let missing = if missing == "Parameters" && self.ql == QueryLanguage::Jsonata {
                "Arguments"
            } else {
                missing
            };
            self.report(
                writer,
                pointer,
                format!(
                    "{}: ResultWriter exports results to S3 with both `Resource` and the bucket/prefix payload",
                    required_message(&[missing])
                ),
            );
        }
        let Some(config) = self.object(writer, pointer, "WriterConfig") else {
            return;
        };
        let at = child(pointer, "WriterConfig");
        self.unknown(
            config,
            &at,
            &["Transformation", "OutputType"],
            "WriterConfig",
        );
        self.enum_field(
            config,
            &at,
            "Transformation",
            &["NONE", "COMPACT", "FLATTEN"],
        );
        self.enum_field(config, &at, "OutputType", &["JSON", "JSONL"]);
        if config.get("OutputType").is_none() {
            self.report(
                config,
                &at,
                format!(
                    "{}: WriterConfig formats the results as \"JSON\" or \"JSONL\"",
                    required_message(&["OutputType"])
                ),
            );
        }
    }
}
