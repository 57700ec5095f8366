//! Import från HSA through the real router, on both engines: the party's own file changes
//! nothing; a bad line is refused with its line and nothing is stored; a corrected file is shown
//! before it is made, then creates, updates and disables in one go, and a disabled person is
//! refused at the next request.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Browser, app, csrf_in, multipart_parts};
use samsyn_store::{units, users};
use samsyn_testkit::{TestDb, on_both_engines_async};

fn upload(file: &str) -> (String, Vec<u8>) {
    multipart_parts(&[("fil", Some(("personal.csv", "text/csv")), file.as_bytes())])
}

async fn the_administrator_imports_units_and_staff_from_an_hsa_extract(db: TestDb) {
    let app = app(db);
    let mut admin = Browser::new(&app);
    admin.login("administrator").await;
    let page = admin.get("/admin/import").await;
    assert_eq!(page.status, 200);
    let csrf = csrf_in(&page.body);
    let import = format!("/admin/import?csrf_token={csrf}");
    let confirm = format!("/admin/import/genomfor?csrf_token={csrf}");

    let current = admin.get("/admin/import/fil").await;
    assert_eq!(current.status, 200);
    let current = current.body;
    assert!(current.starts_with("typ;hsa_id;namn;enhetstyp;part;roll;enhet\n"));
    assert!(current.contains(";Hemsjukvården Örebro;kommunal_hsl;1880;;"));
    assert!(!current.contains("Kumla"), "only her own party");
    let same = admin.post_multipart(&import, upload(&current)).await;
    assert_eq!(same.status, 200);
    assert!(same.body.contains("Filen stämmer redan med Samsyn."));

    let (unit_hsa, manager_hsa) = app
        .store
        .transaction(|conn| {
            let unit = units::list(conn)?
                .into_iter()
                .find(|u| u.name == "Hemsjukvården Örebro")
                .unwrap();
            let manager = users::credentials_by_username(conn, "enhetschef")?.unwrap();
            Ok((unit.hsa_id.unwrap(), manager.user.hsa_id.unwrap()))
        })
        .unwrap();
    let new_person = format!("person;SE2120001967-P0001;Nils Nyman;;;sjukskoterska;{unit_hsa}\n");
    let lines = current.lines().count();
    let bad =
        format!("{current}{new_person}person;SE2120001967-P0002;Kim Kock;;;kock;{unit_hsa}\n");
    let refused = admin.post_multipart(&import, upload(&bad)).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .body
            .contains("Filen lästes inte in – inget har sparats")
    );
    assert!(
        refused.body.contains(&format!(
            "<tr><td>{}</td><td>roll</td><td>ska vara en av rollerna",
            lines + 2
        )),
        "the bad line is named by its number"
    );
    let nobody = app
        .store
        .transaction(|conn| users::by_hsa_id(conn, "SE2120001967-P0001"))
        .unwrap();
    assert!(nobody.is_none(), "nothing stored from a refused file");

    let mut manager = Browser::new(&app);
    manager.login("enhetschef").await;
    assert_eq!(manager.get("/inkorg").await.status, 200);
    let corrected: String = current
        .lines()
        .filter(|line| !line.contains(&manager_hsa))
        .map(|line| format!("{line}\n"))
        .collect::<String>()
        + &new_person;
    let preview = admin.post_multipart(&import, upload(&corrected)).await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(preview.body.contains(
        "Nytt konto för Nils Nyman (sjuksköterska, SE2120001967-P0001), inloggning med e-legitimation"
    ));
    assert!(preview.body.contains(&format!(
        "Eva Ek ({manager_hsa}) finns inte i filen och inaktiveras"
    )));
    assert!(preview.body.contains("Genomför importen (2 ändringar)"));
    assert_eq!(
        manager.get("/inkorg").await.status,
        200,
        "nothing changes before she confirms"
    );

    let done = admin
        .post_multipart(
            &confirm,
            multipart_parts(&[
                ("filnamn", None, b"personal.csv"),
                ("innehall", None, corrected.as_bytes()),
            ]),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("Importen är klar"));
    assert!(done.body.contains("2 ändringar är gjorda"));
    let refused = manager.get("/inkorg").await;
    assert_eq!(refused.status, 303, "the disabled person is refused");
    assert!(refused.location().starts_with("/logga-in"));
    let nils = app
        .store
        .transaction(|conn| users::by_hsa_id(conn, "SE2120001967-P0001"))
        .unwrap()
        .unwrap();
    assert_eq!(nils.display_name, "Nils Nyman");
    assert_eq!(nils.identity_source, users::IdentitySource::Oidc);
    let log = admin.get("/admin/anvandare").await;
    assert!(log.body.contains("importerade från personal.csv"));

    let again = admin.post_multipart(&import, upload(&corrected)).await;
    assert!(again.body.contains("Filen stämmer redan med Samsyn."));
}

on_both_engines_async!(the_administrator_imports_units_and_staff_from_an_hsa_extract);
