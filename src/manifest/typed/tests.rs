//! serde_yaml's messages without their places.

use super::*;

#[test]
fn serde_messages_lose_their_places() {
    assert_eq!(
        without_places(
            "did not find expected ',' or '}' at line 6 column 3, while parsing a flow mapping"
        ),
        "did not find expected ',' or '}', while parsing a flow mapping"
    );
    assert_eq!(
        without_places("missing field `spec` at line 1 column 1"),
        "missing field `spec`"
    );
    assert_eq!(without_places("look at line x"), "look at line x");
}
