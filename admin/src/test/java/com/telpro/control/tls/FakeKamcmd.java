package com.telpro.control.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A stand-in for {@code kamcmd}: a shell script that records every invocation, copies the
 * CA bundle Kamailio would load at each {@code tls.reload}, answers {@code core.shmmem}
 * with a growing {@code real_used}, and can be told to fail the reload or to "die" after
 * it.
 */
final class FakeKamcmd {

	private final Path dir;

	private final Path script;

	FakeKamcmd(Path dir, Path caFile) {
		this.dir = dir;
		this.script = dir.resolve("kamcmd");
		String text = """
				#!/usr/bin/env bash
				dir='%s'
				echo "$*" >> "$dir/calls.log"
				command="${@: -1}"
				if [ -e "$dir/down" ]; then
				  echo "ERROR: connect_unix_sock: connect(/run/kamailio/kamailio_ctl): No such file or directory [2]" >&2
				  exit 255
				fi
				case "$command" in
				  core.uptime)
				    printf '{\n\tnow: Tue Nov 24 10:00:00 2026\n\tup_since: Tue Nov 24 09:00:00 2026\n\tuptime: %%s\n}\n' "$(cat "$dir/uptime" 2>/dev/null || echo 3600)"
				    ;;
				  core.shmmem)
				    used=$(( $(cat "$dir/shm" 2>/dev/null || echo 3000000) + 4096 ))
				    echo "$used" > "$dir/shm"
				    printf '{\\n\\ttotal: 67108864\\n\\tfree: %%d\\n\\tused: 2500000\\n\\treal_used: %%d\\n\\tmax_used: %%d\\n\\tfragments: 12\\n}\\n' $((67108864 - used)) "$used" "$used"
				    ;;
				  tls.reload)
				    n=$(ls "$dir"/seen-*.pem 2>/dev/null | wc -l)
				    cp '%s' "$dir/seen-$((n + 1)).pem" 2>/dev/null || echo missing > "$dir/seen-$((n + 1)).pem"
				    if [ -e "$dir/fail-reload" ]; then
				      echo "error: 500 - Error while fixing TLS configuration (consult server log)"
				      exit "$(cat "$dir/fail-reload")"
				    fi
				    [ -e "$dir/die-after-reload" ] && touch "$dir/dead"
				    echo "Ok. TLS configuration reloaded."
				    ;;
				  tls.info)
				    if [ -e "$dir/dead" ]; then
				      echo "ERROR: connect_unix_sock: connect(/run/kamailio/kamailio_ctl): Connection refused [111]" >&2
				      exit 255
				    fi
				    printf '{\\n\\tmax_connections: 2048\\n\\topened_connections: 0\\n\\tclients_connections: 0\\n}\\n'
				    ;;
				  *) echo "error: 500 - command $command not found"; exit 1 ;;
				esac
				"""
			.formatted(dir, caFile);
		try {
			Files.writeString(script, text, StandardCharsets.UTF_8);
			Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	String path() {
		return script.toString();
	}

	/** Each invocation's arguments, one string each. */
	List<String> calls() {
		return lines(dir.resolve("calls.log"));
	}

	long reloads() {
		return calls().stream().filter(c -> c.endsWith("tls.reload")).count();
	}

	/** The CA file as it was at the n-th reload (1-based). */
	String seenAtReload(int n) {
		try {
			return Files.readString(dir.resolve("seen-" + n + ".pem"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Makes {@code tls.reload} answer an RPC error with this exit code (kamcmd may exit 0
	 * on one).
	 */
	void failReload(int exitCode) {
		write("fail-reload", String.valueOf(exitCode));
	}

	void reloadSucceeds() {
		delete("fail-reload");
	}

	/**
	 * Kamailio not running: every command fails to connect, as kamcmd does (exit 255).
	 */
	void down() {
		write("down", "");
	}

	/** Kamailio running again, up for {@code seconds}. */
	void up(long seconds) {
		delete("down");
		write("uptime", String.valueOf(seconds));
	}

	/** After the next reload, Kamailio stops answering (as in kamailio #3305). */
	void dieAfterReload() {
		write("die-after-reload", "");
	}

	private void write(String name, String content) {
		try {
			Files.writeString(dir.resolve(name), content);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void delete(String name) {
		try {
			Files.deleteIfExists(dir.resolve(name));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static List<String> lines(Path file) {
		try {
			return Files.exists(file) ? Files.readAllLines(file) : List.of();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
