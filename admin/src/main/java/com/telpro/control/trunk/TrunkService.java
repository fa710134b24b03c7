package com.telpro.control.trunk;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.telpro.control.common.LogSafe;
import com.telpro.control.config.ConflictException;
import com.telpro.control.config.InvalidInputException;
import com.telpro.control.config.NotFoundException;
import com.telpro.control.security.AuditableChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.validation.BindingResult;
import org.springframework.validation.DirectFieldBindingResult;

/**
 * Creates, changes and deletes trunks. Every change is validated as a whole by
 * {@link TrunkValidator} before anything is written, and published as an
 * {@link AuditableChange} with the password masked. The API and the admin pages both come
 * through here.
 */
@Service
@Transactional(readOnly = true)
public class TrunkService {

	private static final Logger log = LoggerFactory.getLogger(TrunkService.class);

	private static final String TARGET = "trunk";

	private final TrunkRepository trunks;

	private final TrunkValidator validator;

	private final ApplicationEventPublisher events;

	private final TrunkTableDigest digest;

	/** The last list with the digest of the table it was read from. */
	private volatile Listed listed;

	TrunkService(TrunkRepository trunks, TrunkValidator validator, ApplicationEventPublisher events,
			TrunkTableDigest digest) {
		this.trunks = trunks;
		this.validator = validator;
		this.events = events;
		this.digest = digest;
	}

	/**
	 * Every trunk in matching order: priority, then name. Reused while the trunk table's
	 * digest is unchanged: the list is read far more often than trunks change, and
	 * loading 1,000 trunks as entities on every call took the pool's connections under
	 * load.
	 */
	public List<TrunkResponse> list() {
		String now = digest.current();
		Listed last = listed;
		if (last != null && last.digest().equals(now)) {
			return last.trunks();
		}
		List<TrunkResponse> fresh = trunks.findAllByOrderByPriorityAscNameAsc()
			.stream()
			.map(TrunkResponse::of)
			.toList();
		listed = new Listed(now, fresh);
		return fresh;
	}

	private record Listed(String digest, List<TrunkResponse> trunks) {
	}

	/** One page of the trunk list, searched, filtered and sorted by PostgreSQL. */
	public Page<TrunkResponse> search(TrunkSearch search, int page, int size) {
		return trunks.findAll(search.specification(), PageRequest.of(page, size, search.order()))
			.map(TrunkResponse::of);
	}

	public TrunkResponse get(long id) {
		return TrunkResponse.of(find(id));
	}

	/**
	 * @throws InvalidInputException when a field is invalid
	 * @throws ConflictException when the name is taken
	 */
	@Transactional
	public TrunkResponse create(TrunkSpec spec) {
		BindingResult errors = validate(spec);
		throwIfInvalid(errors);
		String name = spec.name().strip();
		if (trunks.existsByName(name)) {
			throw duplicate(name);
		}
		Trunk trunk = new Trunk();
		trunk.apply(spec);
		save(trunk);
		log.info("Trunk {} created: {}", trunk.getId(), LogSafe.of(name));
		publish("trunk.create", trunk, null, TrunkSnapshot.of(trunk));
		return TrunkResponse.of(trunk);
	}

	/**
	 * Replaces every field of a trunk. {@code version} must be the version the client
	 * read; an omitted or empty password keeps the stored one.
	 * @throws InvalidInputException when a field is invalid or the version is missing
	 * @throws ConflictException when the name is taken or the trunk changed since that
	 * version
	 */
	@Transactional
	public TrunkResponse replace(long id, TrunkSpec spec) {
		Trunk trunk = find(id);
		boolean passwordKept = spec.authPass() == null || spec.authPass().isEmpty();
		TrunkSpec effective = passwordKept ? spec.toBuilder().authPass(trunk.getAuthPass()).build() : spec;
		BindingResult errors = validate(effective);
		if (effective.version() == null) {
			errors.rejectValue("version", TrunkValidator.CODE, "is required: send the version you read");
		}
		throwIfInvalid(errors);
		if (effective.version() != trunk.getVersion()) {
			throw new ConflictException("version",
					"the trunk was changed by someone else (version " + trunk.getVersion()
							+ " is current, the change was based on " + effective.version()
							+ "); reload it and apply your change again");
		}
		String name = effective.name().strip();
		if (trunks.existsByNameAndIdNot(name, id)) {
			throw duplicate(name);
		}
		Map<String, Object> before = TrunkSnapshot.of(trunk);
		String oldPassword = trunk.getAuthPass();
		trunk.apply(effective);
		save(trunk);
		Map<String, Object> after = TrunkSnapshot.of(trunk);
		boolean passwordChanged = !Objects.equals(oldPassword, trunk.getAuthPass());
		if (passwordChanged) {
			after.put("auth_pass_changed", true);
		}
		if (passwordChanged || !before.equals(after)) {
			log.info("Trunk {} updated: {}", trunk.getId(), LogSafe.of(name));
			publish("trunk.update", trunk, before, after);
		}
		return TrunkResponse.of(trunk);
	}

	@Transactional
	public TrunkResponse setEnabled(long id, boolean enabled) {
		Trunk trunk = find(id);
		if (trunk.isEnabled() != enabled) {
			Map<String, Object> before = TrunkSnapshot.of(trunk);
			trunk.setEnabled(enabled);
			save(trunk);
			log.info("Trunk {} {}", trunk.getId(), enabled ? "enabled" : "disabled");
			publish(enabled ? "trunk.enable" : "trunk.disable", trunk, before, TrunkSnapshot.of(trunk));
		}
		return TrunkResponse.of(trunk);
	}

	@Transactional
	public void delete(long id) {
		Trunk trunk = find(id);
		Map<String, Object> before = TrunkSnapshot.of(trunk);
		trunks.delete(trunk);
		trunks.flush();
		log.info("Trunk {} deleted: {}", id, LogSafe.of(trunk.getName()));
		publish("trunk.delete", trunk, before, null);
	}

	private Trunk find(long id) {
		return trunks.findById(id).orElseThrow(() -> new NotFoundException(TARGET, id));
	}

	private BindingResult validate(TrunkSpec effective) {
		BindingResult errors = new DirectFieldBindingResult(effective, TARGET);
		validator.validate(effective, errors);
		return errors;
	}

	private static void throwIfInvalid(BindingResult errors) {
		if (errors.hasErrors()) {
			throw new InvalidInputException(errors);
		}
	}

	private void save(Trunk trunk) {
		try {
			trunks.saveAndFlush(trunk);
		}
		catch (DataIntegrityViolationException ex) {
			// Two saves with one name at the same moment: the unique constraint decides.
			if (String.valueOf(ex.getMostSpecificCause().getMessage()).contains("trunk_name_unique")) {
				throw duplicate(trunk.getName());
			}
			throw ex;
		}
	}

	private static ConflictException duplicate(String name) {
		return new ConflictException("name", "a trunk named '" + name + "' already exists");
	}

	private void publish(String action, Trunk trunk, Map<String, Object> before, Map<String, Object> after) {
		events.publishEvent(new AuditableChange(action, TARGET, String.valueOf(trunk.getId()), before, after));
	}

}
