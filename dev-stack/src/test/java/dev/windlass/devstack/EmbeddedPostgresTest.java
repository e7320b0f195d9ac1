package dev.windlass.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresTest {

    static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() {
        postgres = EmbeddedPostgres.ephemeral();
        postgres.start();
        postgres.createDatabase("roundtrip");
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @Test
    void roundTripsRowsThroughARealServer() throws SQLException {
        try (Connection c = connect()) {
            c.createStatement().execute("create table greeting (id int primary key, text varchar(40))");
            c.createStatement().execute("insert into greeting values (1, 'héllo, cluster')");
            ResultSet rs = c.createStatement().executeQuery("select text, version() from greeting where id = 1");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("héllo, cluster");
            assertThat(rs.getString(2)).startsWith("PostgreSQL 17");
        }
    }

    @Test
    void keepsDataAcrossARestartOnTheSamePort() throws SQLException {
        int port = postgres.port();
        try (Connection c = connect()) {
            c.createStatement().execute("create table survivor (id int)");
            c.createStatement().execute("insert into survivor values (42)");
        }
        postgres.restart();
        assertThat(postgres.port()).isEqualTo(port);
        try (Connection c = connect()) {
            ResultSet rs = c.createStatement().executeQuery("select id from survivor");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
    }

    @Test
    void refusesAWrongPassword() {
        assertThatThrownBy(() -> DriverManager.getConnection(
                                postgres.jdbcUrl("roundtrip"), EmbeddedPostgres.USER, "not-the-password")
                        .close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
    }

    @Test
    void createDatabaseIsIdempotent() {
        postgres.createDatabase("twice");
        postgres.createDatabase("twice");
        assertThatThrownBy(() -> postgres.createDatabase("Robert'); drop table x;--"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(
                postgres.jdbcUrl("roundtrip"), EmbeddedPostgres.USER, EmbeddedPostgres.PASSWORD);
    }
}
