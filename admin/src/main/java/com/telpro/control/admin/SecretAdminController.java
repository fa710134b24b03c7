package com.telpro.control.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.telpro.control.config.FieldProblem;
import com.telpro.control.config.NotFoundException;
import com.telpro.control.secret.PlatformSecretService;
import com.telpro.control.secret.SecretInUseException;
import com.telpro.control.secret.SecretPurpose;
import com.telpro.control.secret.SecretRejectedException;
import com.telpro.control.secret.SecretUpload;
import com.telpro.control.secret.SecretView;
import com.telpro.control.secret.TlsWatcherStatuses;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The "Platform Secrets" tab: the list with each certificate's subject, validity,
 * fingerprint and expiry warning, the upload form (PEM pasted or a file), delete with
 * confirmation. The PEM is never echoed back into the form, whatever happened: it may be
 * a private key.
 */
@Controller
class SecretAdminController {

	static final String PAGE = "/admin-settings/secrets";

	private static final String VIEW = "secrets/list";

	private static final int MAX_PEM_BYTES = 65536;

	private final PlatformSecretService secrets;

	private final TlsWatcherStatuses edge;

	SecretAdminController(PlatformSecretService secrets, TlsWatcherStatuses edge) {
		this.secrets = secrets;
		this.edge = edge;
	}

	@InitBinder("upload")
	void initBinder(WebDataBinder binder) {
		binder.setAllowedFields("name", "purpose", "pem");
	}

	@GetMapping(PAGE)
	String list(Model model) {
		if (!model.containsAttribute("upload")) {
			model.addAttribute("upload", new SecretUploadForm());
		}
		return page(model);
	}

	@PostMapping(PAGE)
	String upload(@ModelAttribute("upload") SecretUploadForm form, BindingResult result,
			@RequestParam(name = "file", required = false) MultipartFile file, Model model,
			RedirectAttributes redirect) {
		String pem = form.getPem();
		if (file != null && !file.isEmpty()) {
			if (file.getSize() > MAX_PEM_BYTES) {
				result.rejectValue("pem", "secrets.pem.tooLarge", "the file is larger than 64 KiB");
			}
			else {
				pem = read(file);
			}
		}
		form.setPem(null); // never rendered back
		if (form.getName() == null || form.getName().isBlank()) {
			result.rejectValue("name", "secrets.name.required", "is required");
		}
		if (form.getPurpose() == null) {
			result.rejectValue("purpose", "secrets.purpose.required", "is required");
		}
		if (pem == null || pem.isBlank()) {
			result.rejectValue("pem", "secrets.pem.required", "paste the PEM or choose a file");
		}
		if (result.hasErrors()) {
			return page(model);
		}
		SecretView created;
		try {
			created = secrets.upload(new SecretUpload(form.getName().strip(), form.getPurpose(), pem));
		}
		catch (SecretRejectedException ex) {
			for (FieldProblem problem : ex.problems()) {
				result.rejectValue(problem.field(), "secrets.rejected", problem.message());
			}
			return page(model);
		}
		redirect.addFlashAttribute("message", "Uploaded " + created.name()
				+ (created.warnings().isEmpty() ? "." : " — " + String.join("; ", created.warnings()) + "."));
		return "redirect:" + PAGE;
	}

	@PostMapping(PAGE + "/{id}/delete")
	String delete(@PathVariable long id, RedirectAttributes redirect) {
		try {
			secrets.delete(id);
			redirect.addFlashAttribute("message", "Secret deleted.");
		}
		catch (SecretInUseException ex) {
			redirect.addFlashAttribute("error", "Not deleted: trunk(s) " + String.join(", ", ex.trunkNames())
					+ " reference this secret. Point them at another CA first.");
		}
		catch (NotFoundException ex) {
			redirect.addFlashAttribute("error", "That secret no longer exists.");
		}
		return "redirect:" + PAGE;
	}

	private String page(Model model) {
		List<SecretView> all = secrets.list();
		model.addAttribute("secrets", all);
		model.addAttribute("purposes", SecretPurpose.values());
		model.addAttribute("warningDays", SecretView.EXPIRY_WARNING.toDays());
		model.addAttribute("edge", edge.status());
		return VIEW;
	}

	private static String read(MultipartFile file) {
		try {
			return new String(file.getBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return null;
		}
	}

}
