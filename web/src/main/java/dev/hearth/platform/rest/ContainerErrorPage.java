package dev.hearth.platform.rest;

import java.io.IOException;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;

/**
 * The web application's error page ({@code web.xml}): an error the servlet container answers itself (a request
 * JAX-RS could not parse, a missing console file, an exception that escaped a filter) becomes a {@link Problem}
 * too, instead of the container's HTML report with its stack trace. The detail names only the status and the
 * path; a 5xx's exception is logged under the problem's instance id. Requested directly, it is a 404. Stateless,
 * so thread-safe.
 */
@WebServlet(ContainerErrorPage.PATH)
public class ContainerErrorPage extends HttpServlet {

    static final String PATH = "/problem";
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Throwable cause = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        int status = code instanceof Integer number && number >= 400 ? number : cause != null ? 500 : 404;
        String path = uri != null ? uri.toString() : request.getRequestURI();
        String detail;
        if (status >= 500) {
            detail = "An unexpected error occurred; it was logged with this problem's instance id";
        } else if (status == 404) {
            detail = "There is nothing at " + path;
        } else {
            detail = "The request to " + path + " was rejected before it reached Hearth: a header, parameter or "
                    + "its body could not be read";
        }
        Response problem = Problem.forStatus(status, detail, cause);
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType(Problem.MEDIA_TYPE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write((String) problem.getEntity());
    }
}
