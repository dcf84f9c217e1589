//! End-to-end test support; the tests are in this folder.
