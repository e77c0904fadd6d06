//! Prints the workbench's key table as Markdown (for README.md).
fn main() {
    print!("{}", aims_workbench::tui::keys::markdown_table());
}
