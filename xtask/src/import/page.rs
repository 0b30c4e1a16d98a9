//! Reading one JD Cloud API documentation page (GitHub-flavoured Markdown) into its tables.
//!
//! The reader knows the page format, not any service: a `#` title (the operation name), `##`
//! sections whose headings come in several spellings, and tables in three layouts (5-column
//! parameters, 3-column fields, 2-column return codes); `###` headings (plain or wrapped in
//! `<div id=...>`) name model tables. An empty section is written as "None" or as a header-only
//! table. Anything else is an error naming the file, line and table: a page is never read in
//! part.

use std::fmt;
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// One operation page, as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The `#` title: the operation's name.
    pub title: String,
    /// The Description section, HTML reduced to text.
    pub description: String,
    /// The Request method section, upper-case (`GET`, `POST`, ...).
    pub method: String,
    /// The request address (absolute URL with `{placeholders}`) and its line.
    pub address: String,
    pub address_line: usize,
    /// The table under the request address.
    pub path_parameters: Vec<Row>,
    /// The Request parameter table (query or body, by method).
    pub parameters: Vec<Row>,
    /// The Return parameter table (the response body's top level).
    pub response: Vec<Row>,
    /// Every `###` table, request and response side, in page order.
    pub models: Vec<Model>,
    /// The Return code table.
    pub codes: Vec<Code>,
}

/// A row of a parameter or field table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub name: String,
    pub ty: TypeName,
    /// Parameter tables only; field tables say nothing (false).
    pub required: bool,
    /// Parameter tables only: the Default value cell, if not blank.
    pub default: Option<String>,
    pub description: String,
    pub line: usize,
}

/// A documented type: a primitive, a model named on the page, or an array of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeName {
    String,
    Integer,
    /// `Number` (the pages use it beside `Integer`, sometimes for counts).
    Number,
    Boolean,
    Object,
    Model(String),
    Array(Box<TypeName>),
}

/// A `###` model table.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub name: String,
    pub line: usize,
    /// Whether it sits under Request parameter (its rows then carry Required flags).
    pub request_side: bool,
    pub fields: Vec<Row>,
}

/// A row of the Return code table.
#[derive(Debug, Clone, PartialEq)]
pub struct Code {
    pub status: u16,
    pub description: String,
    pub line: usize,
}

/// A page that cannot be read: where, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadError {
    pub file: String,
    pub line: usize,
    /// The heading of the table concerned, if any.
    pub table: Option<String>,
    pub message: String,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.file, self.line)?;
        if let Some(table) = &self.table {
            write!(f, "table `{table}`: ")?;
        }
        f.write_str(&self.message)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Preamble,
    Description,
    Method,
    Address,
    RequestParameters,
    ReturnParameters,
    ReturnCodes,
}

fn section_of(heading: &str) -> Option<Section> {
    let normal = heading.to_ascii_lowercase();
    Some(match normal.as_str() {
        "description" => Section::Description,
        "request method" => Section::Method,
        "request address" => Section::Address,
        "request parameter" | "request parameters" => Section::RequestParameters,
        "return parameter" | "response parameter" | "return parameters" | "response parameters" => {
            Section::ReturnParameters
        }
        "return code" | "response code" | "return codes" | "response codes" => Section::ReturnCodes,
        _ => return None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    Parameters,
    Fields,
    Codes,
}

fn layout_of(header: &[String]) -> Option<Layout> {
    let normal: Vec<String> = header.iter().map(|h| h.to_ascii_lowercase()).collect();
    let normal: Vec<&str> = normal.iter().map(String::as_str).collect();
    match normal.as_slice() {
        [
            "name",
            "type",
            "required or not",
            "default value",
            "description",
        ] => Some(Layout::Parameters),
        ["name", "type", "description"] => Some(Layout::Fields),
        ["return code", "description"] => Some(Layout::Codes),
        _ => None,
    }
}

/// A table as cells of source text, with the line of each row.
struct RawTable {
    line: usize,
    header: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
}

/// Whether a page documents an operation (it has a Request method section); overview and help
/// pages do not.
pub fn is_operation_page(text: &str) -> bool {
    text.lines().any(|line| {
        line.trim_start()
            .strip_prefix("## ")
            .is_some_and(|h| section_of(h.trim()) == Some(Section::Method))
    })
}

/// Reads an operation page. `file` names it in errors.
pub fn read(file: &str, text: &str) -> Result<Page, ReadError> {
    Reader::new(file, text).run()
}

struct Reader<'t> {
    file: &'t str,
    text: &'t str,
    line_starts: Vec<usize>,
    section: Section,
    /// The current `###` heading and its line, inside a section.
    model: Option<(String, usize)>,
    title: Option<String>,
    description: Vec<String>,
    method: Option<String>,
    address: Option<(String, usize)>,
    page: Page,
}

impl<'t> Reader<'t> {
    fn new(file: &'t str, text: &'t str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Reader {
            file,
            text,
            line_starts,
            section: Section::Preamble,
            model: None,
            title: None,
            description: Vec::new(),
            method: None,
            address: None,
            page: Page {
                title: String::new(),
                description: String::new(),
                method: String::new(),
                address: String::new(),
                address_line: 0,
                path_parameters: Vec::new(),
                parameters: Vec::new(),
                response: Vec::new(),
                models: Vec::new(),
                codes: Vec::new(),
            },
        }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset)
    }

    fn error(&self, line: usize, table: Option<&str>, message: impl Into<String>) -> ReadError {
        ReadError {
            file: self.file.to_owned(),
            line,
            table: table.map(str::to_owned),
            message: message.into(),
        }
    }

    fn run(mut self) -> Result<Page, ReadError> {
        let mut events = Parser::new_ext(self.text, Options::ENABLE_TABLES).into_offset_iter();
        while let Some((event, range)) = events.next() {
            match event {
                Event::Start(Tag::Heading { level, .. }) => {
                    let text = collect_text(&mut events, TagEnd::Heading(level));
                    self.heading(level, text, range)?;
                }
                Event::Start(Tag::Table(_)) => {
                    let table = self.collect_table(&mut events, range.start);
                    self.table(table)?;
                }
                Event::Start(tag) => {
                    // Any other block (paragraph, list, code, quote): its whole source.
                    skip_to(&mut events, tag.to_end());
                    self.prose(&self.text[range.clone()], range.start)?;
                }
                Event::Html(html) => self.prose(&html, range.start)?,
                _ => {}
            }
        }
        self.finish()
    }

    fn heading(
        &mut self,
        level: HeadingLevel,
        text: String,
        range: Range<usize>,
    ) -> Result<(), ReadError> {
        let line = self.line_of(range.start);
        match level {
            HeadingLevel::H1 => {
                if self.title.is_some() {
                    return Err(self.error(line, None, format!("a second title `{text}`")));
                }
                self.title = Some(text);
            }
            HeadingLevel::H2 => {
                self.section = section_of(&text)
                    .ok_or_else(|| self.error(line, None, format!("unknown section `{text}`")))?;
                self.model = None;
            }
            _ => self.model = Some((text, line)),
        }
        Ok(())
    }

    /// Text outside tables: the description, method and address; "None" for an empty section.
    fn prose(&mut self, source: &str, offset: usize) -> Result<(), ReadError> {
        let line = self.line_of(offset);
        let text = source.trim();
        match self.section {
            Section::Description => self.description.push(text.to_owned()),
            Section::Method if self.method.is_none() => {
                self.method = Some(text.to_ascii_uppercase())
            }
            Section::Address if self.address.is_none() => {
                self.address = Some((text.to_owned(), line))
            }
            Section::RequestParameters | Section::ReturnParameters | Section::ReturnCodes
                if text.eq_ignore_ascii_case("none") => {}
            Section::Preamble if text.is_empty() => {}
            _ => {
                return Err(self.error(
                    line,
                    None,
                    format!("unexpected text in this section: `{}`", first_line(text)),
                ));
            }
        }
        Ok(())
    }

    fn collect_table<'e>(
        &self,
        events: &mut impl Iterator<Item = (Event<'e>, Range<usize>)>,
        start: usize,
    ) -> RawTable {
        let mut table = RawTable {
            line: self.line_of(start),
            header: Vec::new(),
            rows: Vec::new(),
        };
        let mut in_head = false;
        for (event, range) in events.by_ref() {
            match event {
                Event::Start(Tag::TableHead) => in_head = true,
                Event::End(TagEnd::TableHead) => in_head = false,
                Event::Start(Tag::TableRow) => {
                    table.rows.push((self.line_of(range.start), Vec::new()))
                }
                Event::Start(Tag::TableCell) => {
                    let cell = self.text[range].trim().trim_matches('|').trim().to_owned();
                    if in_head {
                        table.header.push(cell);
                    } else if let Some((_, cells)) = table.rows.last_mut() {
                        cells.push(cell);
                    }
                }
                Event::End(TagEnd::Table) => break,
                _ => {}
            }
        }
        table
    }

    fn table(&mut self, table: RawTable) -> Result<(), ReadError> {
        let heading = self.table_heading();
        let layout = layout_of(&table.header).ok_or_else(|| {
            self.error(
                table.line,
                Some(&heading),
                format!("unknown table header |{}|", table.header.join("|")),
            )
        })?;
        let model = self.model.clone();
        match (self.section, layout, model) {
            (Section::ReturnCodes, Layout::Codes, None) => {
                self.page.codes = self.codes(&table, &heading)?;
            }
            (Section::Address, Layout::Parameters, None) => {
                self.page.path_parameters = self.rows(&table, layout, &heading)?;
            }
            (Section::RequestParameters, Layout::Parameters, None) => {
                self.page.parameters = self.rows(&table, layout, &heading)?;
            }
            (Section::ReturnParameters, Layout::Fields, None) => {
                self.page.response = self.rows(&table, layout, &heading)?;
            }
            (
                section @ (Section::RequestParameters | Section::ReturnParameters),
                Layout::Parameters | Layout::Fields,
                Some((name, line)),
            ) => {
                if !is_type_word(&name) {
                    return Err(self.error(line, None, format!("`{name}` is no model name")));
                }
                let fields = self.rows(&table, layout, &heading)?;
                self.page.models.push(Model {
                    name,
                    line,
                    request_side: section == Section::RequestParameters,
                    fields,
                });
            }
            _ => {
                return Err(self.error(
                    table.line,
                    Some(&heading),
                    "a table of this layout does not belong here",
                ));
            }
        }
        Ok(())
    }

    fn table_heading(&self) -> String {
        if let Some((name, _)) = &self.model {
            return name.clone();
        }
        match self.section {
            Section::Preamble => "(before any section)",
            Section::Description => "Description",
            Section::Method => "Request method",
            Section::Address => "Request address",
            Section::RequestParameters => "Request parameter",
            Section::ReturnParameters => "Return parameter",
            Section::ReturnCodes => "Return code",
        }
        .to_owned()
    }

    fn rows(&self, table: &RawTable, layout: Layout, heading: &str) -> Result<Vec<Row>, ReadError> {
        let width = table.header.len();
        let mut rows = Vec::new();
        for (line, cells) in &table.rows {
            let error = |message: String| self.error(*line, Some(heading), message);
            if cells.len() != width {
                return Err(error(format!(
                    "{} cells, the header has {width}",
                    cells.len()
                )));
            }
            let name = cells[0].trim_matches('*').trim();
            if !is_field_word(name) {
                return Err(error(format!("`{}` is no field name", cells[0])));
            }
            let ty =
                parse_type(&cells[1]).ok_or_else(|| error(format!("`{}` is no type", cells[1])))?;
            let (required, default, description) = match layout {
                Layout::Parameters => {
                    let required = match cells[2].to_ascii_lowercase().as_str() {
                        "true" | "yes" => true,
                        "false" | "no" => false,
                        other => {
                            return Err(error(format!("required is `{other}`, not True/False")));
                        }
                    };
                    let default = Some(cells[3].trim()).filter(|d| !d.is_empty());
                    (required, default.map(str::to_owned), &cells[4])
                }
                _ => (false, None, &cells[2]),
            };
            rows.push(Row {
                name: name.to_owned(),
                ty,
                required,
                default,
                description: html_to_text(description),
                line: *line,
            });
        }
        Ok(rows)
    }

    fn codes(&self, table: &RawTable, heading: &str) -> Result<Vec<Code>, ReadError> {
        let mut codes = Vec::new();
        for (line, cells) in &table.rows {
            let cell = cells
                .first()
                .map(|c| c.trim_matches('*').trim())
                .unwrap_or_default();
            let status = cell
                .parse::<u16>()
                .ok()
                .filter(|s| (100..600).contains(s))
                .ok_or_else(|| {
                    self.error(*line, Some(heading), format!("`{cell}` is no HTTP status"))
                })?;
            let description = cells.get(1).map(|d| html_to_text(d)).unwrap_or_default();
            codes.push(Code {
                status,
                description,
                line: *line,
            });
        }
        Ok(codes)
    }

    fn finish(mut self) -> Result<Page, ReadError> {
        let last = self.line_starts.len();
        self.page.title = self
            .title
            .take()
            .filter(|t| is_field_word(t))
            .ok_or_else(|| self.error(1, None, "no `# operationName` title"))?;
        self.page.method = self
            .method
            .take()
            .ok_or_else(|| self.error(last, None, "no Request method section"))?;
        if !matches!(
            self.page.method.as_str(),
            "GET" | "POST" | "PUT" | "PATCH" | "DELETE"
        ) {
            return Err(self.error(last, None, format!("unknown method `{}`", self.page.method)));
        }
        let (address, line) = self
            .address
            .take()
            .ok_or_else(|| self.error(last, None, "no request address"))?;
        if !address.starts_with("https://") && !address.starts_with("http://") {
            return Err(self.error(line, None, format!("`{address}` is no URL")));
        }
        self.page.address = address;
        self.page.address_line = line;
        self.page.description = html_to_text(&self.description.join("\n"));
        Ok(self.page)
    }
}

/// The text of a heading (its inline HTML such as `<div id="X">` dropped).
fn collect_text<'e>(
    events: &mut impl Iterator<Item = (Event<'e>, Range<usize>)>,
    end: TagEnd,
) -> String {
    let mut text = String::new();
    for (event, _) in events.by_ref() {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::End(e) if e == end => break,
            _ => {}
        }
    }
    text.trim().to_owned()
}

/// Skips the events of the block just started, up to its end.
fn skip_to<'e>(events: &mut impl Iterator<Item = (Event<'e>, Range<usize>)>, end: TagEnd) {
    let mut depth = 0usize;
    for (event, _) in events.by_ref() {
        match &event {
            Event::Start(tag) if tag.to_end() == end => depth += 1,
            Event::End(e) if *e == end => {
                if depth == 0 {
                    return;
                }
                depth -= 1;
            }
            _ => {}
        }
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

fn is_field_word(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_alphabetic())
        && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn is_type_word(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_uppercase())
        && word.chars().all(|c| c.is_ascii_alphanumeric())
}

/// `String`, `Integer[]`, `TaskInfo[ ]`, `Disk`, ...
pub fn parse_type(cell: &str) -> Option<TypeName> {
    let cell = cell.trim();
    if let Some(inner) = cell.strip_suffix(']') {
        let inner = inner.trim_end().strip_suffix('[')?;
        return parse_type(inner).map(|t| TypeName::Array(Box::new(t)));
    }
    Some(match cell {
        "String" | "string" => TypeName::String,
        "Integer" | "Long" | "Int" | "integer" => TypeName::Integer,
        "Number" | "Float" | "Double" => TypeName::Number,
        "Boolean" | "boolean" | "Bool" => TypeName::Boolean,
        "Object" | "Map" => TypeName::Object,
        model if is_type_word(model) => TypeName::Model(model.to_owned()),
        _ => return None,
    })
}

/// Description cells and prose hold HTML: `<br>` and `</br>` become line breaks, other tags go
/// (their text stays), entities are decoded, `**` emphasis is dropped; each line is trimmed and
/// runs of spaces collapse.
pub fn html_to_text(source: &str) -> String {
    let mut out = String::new();
    let mut rest = source;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let Some(end) = after.find('>') else {
            out.push_str(after);
            rest = "";
            break;
        };
        let tag = after[1..end].trim().to_ascii_lowercase();
        let name = tag.trim_start_matches('/').trim_end_matches('/').trim();
        let is_tag = name
            .split_whitespace()
            .next()
            .is_some_and(|n| n.chars().all(|c| c.is_ascii_alphanumeric()) && !n.is_empty());
        if !is_tag {
            out.push('<');
            rest = &after[1..];
            continue;
        }
        if name == "br" || name == "p" || name == "li" {
            out.push('\n');
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    let decoded = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
        .replace("**", "");
    let lines: Vec<String> = decoded
        .lines()
        .map(|l| {
            // Indentation is kept: it nests Markdown lists.
            let indent = &l[..l.len() - l.trim_start().len()];
            format!(
                "{indent}{}",
                l.split_whitespace().collect::<Vec<_>>().join(" ")
            )
        })
        .collect();
    let mut joined = lines.join("\n");
    while joined.contains("\n\n\n") {
        joined = joined.replace("\n\n\n", "\n\n");
    }
    joined.trim().to_owned()
}
