use super::*;

#[test]
fn changes_set_the_exec_form_entrypoint_and_the_podc_label() {
    let image = PodcImage {
        repository: "podc/supervisor",
        tag: "0.1.0-abc",
        kind: "supervisor",
        entrypoint: &["/podc", "supervise"],
    };
    assert_eq!(image.reference(), "podc/supervisor:0.1.0-abc");
    assert_eq!(
        image.changes(),
        [
            r#"ENTRYPOINT ["/podc","supervise"]"#,
            "LABEL io.podc.image=supervisor",
        ]
    );
}
